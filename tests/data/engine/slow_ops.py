"""A test-only operator for kill-and-resume tests (loaded through `custom_operator_paths`)."""
import time

from pydantic import Field

from sandbox_engine.ops.base import Mapper, OpArgs, register_op


class SlowArgs(OpArgs):
    delay: float = Field(0.0, description="Seconds to sleep per batch.")


@register_op
class SlowUpperMapper(Mapper):
    name = "test_slow_upper_mapper"
    modality = "text"
    Args = SlowArgs
    description = "Test only: upper-cases the text, sleeping `delay` seconds per batch."

    def process_batched(self, batch, context=None):
        time.sleep(self.args.delay)
        return super().process_batched(batch, context)

    def process_text(self, text):
        return text.upper()

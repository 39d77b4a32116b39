"""The catalog: every registered op, keyword + vector retrieval, rebuild on change, custom ops."""
import sys
import textwrap

import pytest

from sandbox_engine.ops.base import OPERATORS, load_builtin_ops
from tools.catalog import Catalog, CatalogEntry, get_catalog


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("JUICEBOX_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_every_registered_operator_is_an_entry(home):
    cat = Catalog(home)
    load_builtin_ops()
    assert set(OPERATORS) <= cat.names()
    e = cat.get("text_length_filter")
    assert e.category == "filter" and e.stats_keys == ["text_len"]
    assert {a.name for a in e.args} >= {"min_len", "max_len"} and "text_key" not in {a.name for a in e.args}
    assert all(x.description for x in cat.entries if x.kind == "operator")


def test_entries_carry_the_planner_metadata(home):
    """Measures, bounds and cues come from the Args fields, example requests from the class, and the
    indexed document holds the requests (so Chinese requests are retrievable)."""
    cat = Catalog(home)
    args = {a.name: a for a in cat.get("text_length_filter").args}
    assert (args["min_len"].measure, args["min_len"].bound) == ("characters", "min")
    assert (args["max_len"].measure, args["max_len"].bound) == ("characters", "max")
    topk = {a.name: a for a in cat.get("topk_specified_field_selector").args}
    assert topk["field_key"].measure == "field" and topk["field_key"].bound == ""
    assert "最高" in topk["reverse"].cues["true"] and "lowest" in topk["reverse"].cues["false"]
    entry = cat.get("words_num_filter")
    assert entry.requests == list(OPERATORS["words_num_filter"].requests) and len(entry.requests) >= 6
    assert all(r in entry.document() for r in entry.requests)


@pytest.mark.parametrize("query,top", [
    ("dedupe", "document_deduplicator"),
    ("mail addresses", "clean_email_mapper"),
    ("strip the bibliography", "remove_bibliography_mapper"),
    ("删除重复的文档", "document_deduplicator"),
    ("去掉邮箱地址", "clean_email_mapper"),
])
def test_retrieval_in_english_and_chinese(home, query, top):
    hits = Catalog(home).search(query, k=3, vector=False)
    assert top in [h.name for h in hits]


def test_near_duplicates_and_dedupe(home):
    cat = Catalog(home)
    names = [h.name for h in cat.search("near duplicate documents", k=5, vector=False, kinds=("operator",))]
    assert "document_minhash_deduplicator" in names or "ray_bts_minhash_deduplicator" in names
    names = [h.name for h in cat.search("dedupe", k=5, vector=False, kinds=("operator",))]
    assert sum(n.endswith("deduplicator") for n in names) >= 2


def _entries(*names):
    return lambda: [CatalogEntry(name=n, category="mapper", description=d) for n, d in names]


def test_vector_index_persists_and_rebuilds_on_change(home):
    """Real chromadb on a three-entry catalog (each entry's document and its name as vectors); the content
    hash lives in the metadata, and the persisted index gives the in-memory index's scores."""
    entries = [("clean_email_mapper", "Removes e-mail addresses from the text."),
               ("image_nsfw_filter", "Drops pornographic or explicit pictures."),
               ("text_length_filter", "Keeps texts whose length in characters is in a range.")]
    cat = Catalog(home, providers=[_entries(*entries)])
    col = cat.ensure_index()
    assert col.metadata["content_hash"] == cat.hash and col.count() == 6
    hits = cat.search("get rid of pornographic pictures", k=3, vector=True)
    assert hits[0].name == "image_nsfw_filter" and hits[0].vector > 0
    mem = cat.search("get rid of pornographic pictures", k=3, vector=False)
    assert [h.name for h in mem] == [h.name for h in hits]
    assert abs(mem[0].score - hits[0].score) < 1e-3
    assert cat.index_is_warm()
    # same entries in a new process-like instance: the persisted collection is reused
    again = Catalog(home, providers=[_entries(*entries)])
    assert again.ensure_index().metadata["content_hash"] == cat.hash
    # the registry changed: rebuilt with the new hash and the new entry
    more = Catalog(home, providers=[_entries(*entries, ("clean_ip_mapper", "Removes IP addresses."))])
    col2 = more.ensure_index()
    assert col2.metadata["content_hash"] == more.hash != cat.hash and col2.count() == 8


CUSTOM = textwrap.dedent('''
    from pydantic import Field
    from sandbox_engine.ops.base import Mapper, OpArgs, register_op

    class ShoutArgs(OpArgs):
        suffix: str = Field("!", description="Appended to the text.")

    @register_op
    class ShoutTestMapper(Mapper):
        name = "shout_test_mapper"
        modality = "text"
        Args = ShoutArgs
        description = "Upper-cases the text and appends an exclamation mark, to shout it."

        def process_text(self, text):
            return text.upper() + self.args.suffix
''')


@pytest.fixture
def custom_module(tmp_path, monkeypatch):
    (tmp_path / "jb_custom_ops_test.py").write_text(CUSTOM)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "jb_custom_ops_test"
    OPERATORS.pop("shout_test_mapper", None)
    sys.modules.pop("jb_custom_ops_test", None)


def test_custom_op_from_config_is_indexed_and_runs(home, custom_module):
    home.mkdir(parents=True)
    (home / "config.yaml").write_text(f"custom_ops: [{custom_module}]\n")
    cat = Catalog(home)
    e = cat.get("shout_test_mapper")
    assert e is not None and e.source == f"custom:{custom_module}"
    assert cat.search("shout in upper case", k=1, vector=False)[0].name == "shout_test_mapper"
    from sandbox_engine import process_samples

    assert process_samples([{"text": "hi"}], [{"shout_test_mapper": {"suffix": "?"}}]) == [{"text": "HI?"}]


def test_custom_op_from_entry_point(home, custom_module, monkeypatch):
    import importlib

    import tools.custom_ops as co

    class EP:
        name, value = "shout", custom_module

        def load(self):
            return importlib.import_module(custom_module)

    monkeypatch.setattr(co, "entry_points", lambda group: [EP()] if group == co.ENTRY_POINT_GROUP else [])
    assert Catalog(home).get("shout_test_mapper").source == "entry_point:shout"


def test_bad_config_is_a_clear_error(home):
    from sandbox_engine.errors import RecipeError

    home.mkdir(parents=True)
    (home / "config.yaml").write_text("custom_ops: [no_such_module_xyz]\n")
    with pytest.raises(RecipeError, match="no_such_module_xyz"):
        Catalog(home)


def test_get_catalog_is_shared_per_home(home):
    assert get_catalog(home) is get_catalog(home)

"""Audio mappers: any ffmpeg filter, and Gaussian-noise augmentation (Data-Juicer 1.4.3 semantics).

New files are named ``{stem}__dj_hash_#H#{ext}`` (save_dir, else $DJ_PRODUCED_DATA_DIR/<op>, else
__dj__produced_data__/<op> beside the source) and replace the sample's paths.
"""
from __future__ import annotations

import numpy as np

from sandbox_engine.ops.base import OpArgs, register_op
from sandbox_engine.ops.filters.audio_basic import load_audio
from sandbox_engine.ops.mappers.video_edit import FfmpegWrappedArgs, VideoRewriter, _FfmpegWrapped
from sandbox_engine.ops.media_fields import num_field, save_dir_field


@register_op
class AudioFfmpegWrappedMapper(_FfmpegWrapped):
    name = "audio_ffmpeg_wrapped_mapper"
    modality = "audio"
    media_arg = "audio_key"
    Args = FfmpegWrappedArgs
    description = ("Runs any ffmpeg audio filter (filter_name with filter_kwargs, e.g. atrim, volume, "
                   "aresample, highpass) on each audio into a new file. Without filter_name nothing changes.")
    example = "audio_ffmpeg_wrapped_mapper: {filter_name: atrim, filter_kwargs: {end: 10}}  # keep the first 10 s"
    requests = ("trim every audio to its first 10 seconds with ffmpeg", "apply an ffmpeg volume filter to the audios",
                "resample the audio files with an ffmpeg filter", "convert the audio to another sample rate",
                "用ffmpeg把每个音频截取前10秒", "把音频转成16k采样率",
                "对音频应用ffmpeg音量滤镜", "用ffmpeg滤镜对音频文件重采样")
    situations = (
        "the voice memos were recorded way too quietly, boost their loudness",
        "the meeting recordings carry a low air-conditioner rumble, cut away the low frequencies but keep them",
        "会议录音音量太小，整体调大一点",
        "播客录音里有空调的低频嗡嗡声，用高通把低频切掉",
        "every podcast episode opens with a long stretch of dead air before anyone speaks, and the endings trail "
        "off into silence",
        "the field recorders delivered files at all sorts of sample rates, while the speech model expects one "
        "uniform rate",
        "the audiobook narrator reads painfully slowly; the listening version should play quicker without a "
        "chipmunk pitch",
        "音乐片段开头结尾都是硬切的，一播就“啪”地出声，缺少渐入渐出",
        "老录音带着电源的嗡嗡交流声，每个文件都要处理但一个都不能丢",
        "采集设备的采样率五花八门，语音模型却只认统一的一种",
        "the keyword spotter will run on cheap phone lines, so every recording should sound muffled and band-limited like a call",
        "模型要部署在电话线路上，训练录音得听起来像电话里那样发闷、高低频都被削掉",
    )


class NoiseArgs(OpArgs):
    min_amplitude: float = num_field(0.001, "ratio", "Smallest noise amplitude (standard deviation, a fraction "
                                                      "of full scale).", ge=0)
    max_amplitude: float = num_field(0.015, "ratio", "Largest noise amplitude (a fraction of full scale).", ge=0)
    p: float = num_field(0.5, "probability", "Probability that noise is added to an audio.", ge=0, le=1)
    save_dir: str | None = save_dir_field()


@register_op
class AudioAddGaussianNoiseMapper(VideoRewriter):
    name = "audio_add_gaussian_noise_mapper"
    modality = "audio"
    media_arg = "audio_key"
    Args = NoiseArgs
    description = ("Augments audio: with probability p adds white Gaussian noise of an amplitude drawn "
                   "uniformly from [min_amplitude, max_amplitude] to the decoded mono signal (as "
                   "audiomentations.AddGaussianNoise), and writes every audio to a new WAV file. Unseeded.")
    example = "audio_add_gaussian_noise_mapper: {min_amplitude: 0.001, max_amplitude: 0.01, p: 1.0}"
    requests = ("add gaussian noise to the audio clips", "augment audios with random white noise",
                "make the recordings noisier with probability 0.5", "给音频片段加入高斯噪声",
                "用随机白噪声增强音频", "以0.5的概率给录音加噪声")
    situations = (
        "I need noisier versions of the clean studio recordings so the ASR model holds up in real rooms",
        "our voice assistant fails in noisy kitchens, so mix some artificial hiss into the training speech",
        "录音棚的语音太干净了，想让语音识别模型在嘈杂环境也扛得住",
        "给唤醒词录音人为掺点沙沙的底噪，提升模型的抗噪能力",
        "the keyword spotter overfits our pristine recordings and falls apart the moment a fan whirs in the "
        "background",
        "for robustness training the model should also hear degraded versions of the speech with a random amount "
        "of faint static",
        "the dataset is tiny and squeaky clean; a sprinkle of random hiss would give the speaker-ID model more "
        "variety",
        "关键词检测模型在干净数据上过拟合了，背景里有点风扇声就认不出来",
        "数据量少又太干净，想随机混进一点轻微的杂音，让声纹模型见识更多变化",
        "車載語音助手一上路就失靈，訓練語料全是在安靜房間裡錄的",
    )

    def setup(self) -> None:
        if self.args.min_amplitude > self.args.max_amplitude:
            raise self.bad_arg("min_amplitude", self.args.min_amplitude,
                               f"it must not exceed max_amplitude ({self.args.max_amplitude})")

    def rewrite(self, path: str) -> str:
        import soundfile as sf

        y, sr = load_audio(path)
        a = self.args
        if np.random.random() < a.p:
            amp = np.random.uniform(a.min_amplitude, a.max_amplitude)
            y = (y + amp * np.random.randn(len(y))).astype(np.float32)
        dst = self.new_path(path).replace(".ogg", ".wav")
        sf.write(dst, y, sr)
        return dst

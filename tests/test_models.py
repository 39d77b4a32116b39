"""Model loaders: the n-gram LM, language id, tokenizer resolution, NSFW and CLIP checkpoints."""
import gzip
import shutil

import pytest

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.models import clip, langid, ngram_lm, nsfw, tokenizer

CORPUS = [
    "the cat sat on the mat .",
    "the dog sat on the log .",
    "a cat and a dog sat together on the mat .",
    "the cat likes the dog .",
    "i like my cat and my dog .",
] * 3


@pytest.fixture(scope="module")
def small_lm():
    return ngram_lm.train([ngram_lm.tokenize(s) for s in CORPUS])


def test_tokenize_lowercases_maps_digits_and_splits_symbols():
    assert ngram_lm.tokenize("It's 2023, OK?") == ["it's", "0000", ",", "ok", "?"]
    assert ngram_lm.tokenize("café’s") == ["café's"]
    assert ngram_lm.tokenize("") == []


def test_lm_prefers_seen_word_order(small_lm):
    assert small_lm.perplexity("the cat sat on the mat .") < small_lm.perplexity("mat the on sat cat the .")
    assert small_lm.perplexity("the cat sat on the mat .") < small_lm.perplexity("zebra quantum flux .")
    assert small_lm.perplexity("") == 0.0
    assert small_lm.perplexity("   \n ") == 0.0


def test_lm_probabilities_sum_to_one_after_a_context(small_lm):
    vocab = [w for (w,) in (k for k in small_lm.logp if len(k) == 1) if w != ngram_lm.BOS]
    for ctx in [("the",), ("the", "cat"), ("zebra", "the")]:
        total = 0.0
        for w in vocab:
            # P(w | ctx) through the backoff chain: score of ctx+w minus score of ctx (without </s>)
            acc, h = 0.0, ctx
            for i in range(len(h) + 1):
                v = small_lm.logp.get(h[i:] + (w,))
                if v is not None:
                    acc += v
                    break
                acc += small_lm.bow.get(h[i:], 0.0)
            total += 10 ** acc
        assert total == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("name", ["lm.arpa", "lm.arpa.gz"])
def test_arpa_round_trip(small_lm, tmp_path, name):
    path = small_lm.save(tmp_path / name)
    if name.endswith(".gz"):
        assert gzip.open(path, "rt").readline().startswith("\\data\\")
    loaded = ngram_lm.NgramLM.load(path)
    assert loaded.order == 3
    for s in ["the cat sat on the mat .", "a dog likes my mat", "unseen words here"]:
        assert loaded.perplexity(s) == small_lm.perplexity(s)


def test_kenlm_binary_and_missing_files_are_refused(tmp_path):
    binary = tmp_path / "model.bin"
    binary.write_bytes(b"mmap lm http://kheafield.com/code format version 5\x00" + b"\x00" * 64)
    with pytest.raises(ModelUnavailableError, match="not an ARPA file"):
        ngram_lm.NgramLM.load(binary)
    with pytest.raises(ModelUnavailableError, match="does not exist"):
        ngram_lm.load_model(tmp_path / "nope.arpa")
    with pytest.raises(ModelUnavailableError, match="only 'en'"):
        ngram_lm.default_model("fr")


def test_shipped_english_model_separates_prose_from_junk():
    lm = ngram_lm.default_model("en")
    prose = ["Today is Sunday and it's a happy day!", "Do you need a cup of coffee?",
             "I went to the store yesterday to buy some milk and bread."]
    junk = ["Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!",
            "a v s e c s f e f g a qkc", "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►",
            "emoji表情测试下😊，😸31231", "asdf qwer zxcv uiop"]
    assert max(lm.perplexities(prose)) < 900 < min(lm.perplexities(junk))
    assert ngram_lm.default_model("en") is lm  # cached per process


def test_langid_lite_model_offline(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    assert langid.model_path().name == "lid.176.ftz"
    preds = langid.predict(["Do you need a cup of coffee?", "我出生于2023年12月15日",
                            "Sur la plateforme, plusieurs manières d'accéder", "line one\nline two", ""])
    assert [p[0] for p in preds[:3]] == ["en", "zh", "fr"]
    assert all(0.0 <= s <= 1.0 for _, s in preds)


def test_tokenizer_resolution(tmp_path):
    shipped = tokenizer.shipped_tokenizer()
    assert tokenizer.resolve("EleutherAI/pythia-6.9b-deduped") == shipped
    shutil.copy(shipped, tmp_path / "tokenizer.json")
    assert tokenizer.resolve(str(tmp_path)) == tmp_path / "tokenizer.json"
    assert tokenizer.resolve(str(tmp_path / "tokenizer.json")) == tmp_path / "tokenizer.json"
    with pytest.raises(ModelUnavailableError, match="not found"):
        tokenizer.resolve(str(tmp_path / "missing.json"))
    tok = tokenizer.load(shipped)
    assert tokenizer.count_tokens(tok, ["Do you need a cup of coffee?", "", None]) == [8, 0, 0]


def test_nsfw_and_clip_resolution(tmp_path):
    assert nsfw.resolve("Falconsai/nsfw_image_detection") == nsfw.shipped_model()
    with pytest.raises(ModelUnavailableError, match="does not exist"):
        nsfw.resolve(str(tmp_path / "mine.onnx"))
    with pytest.raises(ModelUnavailableError, match="never downloaded"):
        clip.resolve("openai/clip-vit-base-patch32")
    with pytest.raises(ModelUnavailableError, match="without open_clip_config.json"):
        clip.resolve(str(tmp_path))
    (tmp_path / "w.bin").write_bytes(b"x")
    (tmp_path / clip.CONFIG).write_text("{}")
    assert clip.resolve(str(tmp_path)) == (tmp_path, None)
    assert clip.resolve(str(tmp_path / "w.bin")) == (tmp_path, tmp_path / "w.bin")


def test_unrolled_trigram_scorer_matches_the_generic_backoff(small_lm):
    generic = ngram_lm.NgramLM(4, small_lm.logp, small_lm.bow)  # no 4-grams: same model, generic loop
    for s in ["the cat sat on the mat .", "mat the zebra", "", "dog"]:
        toks = ngram_lm.tokenize(s)
        assert small_lm.score_tokens(toks) == pytest.approx(generic.score_tokens(toks), abs=1e-9)

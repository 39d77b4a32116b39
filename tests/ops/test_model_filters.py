"""Model-backed filters on Data-Juicer's own test samples (offline models, real files)."""
import json
from pathlib import Path

import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.errors import ModelUnavailableError, OpArgumentError
from sandbox_engine.fields import EOC_TOKEN, IMAGE_TOKEN
from sandbox_engine.ops.base import build_op

IMAGES = Path(__file__).resolve().parents[3] / "shared" / "data" / "dj_images"
if not IMAGES.is_dir():  # a checkout with shared/ inside it
    IMAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "dj_images"
IMG1, IMG2, IMG3 = (str(IMAGES / n) for n in ("img1.png", "img2.jpg", "img3.jpg"))
needs_images = pytest.mark.skipif(not IMAGES.is_dir(), reason="shared/data/dj_images not found")

LANG_SAMPLES = [
    {"text": "a=1\nb\nc=1+2+3+5\nd=6"},
    {"text": "Today is Sund Sund Sund Sunda and it's a happy day!\nYou know"},
    {"text": "a v s e e f g a qkc"},
    {"text": "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"},
    {"text": "Do you need a cup of coffee?"},
    {"text": "emoji表情测试下😊，😸31231\n"},
]


def texts(samples):
    return [s["text"] for s in samples]


# -- language_id_score_filter ---------------------------------------------------------------------

def test_language_id_en_case():
    out = process_samples(LANG_SAMPLES, [{"language_id_score_filter": {"lang": "en", "min_score": 0.8}}])
    assert texts(out) == ["Today is Sund Sund Sund Sunda and it's a happy day!\nYou know",
                          "Do you need a cup of coffee?"]


def test_language_id_zh_case():
    samples = LANG_SAMPLES[:4] + [{"text": "我出生于2023年12月15日"}, {"text": "他的英文名字叫Harry Potter"}]
    out = process_samples(samples, [{"language_id_score_filter": {"lang": "zh", "min_score": 0.8}}])
    assert texts(out)[-2:] == ["我出生于2023年12月15日", "他的英文名字叫Harry Potter"]
    assert "Do you need a cup of coffee?" not in texts(out)


def test_language_id_any_language_and_list():
    none = process_samples(LANG_SAMPLES, [{"language_id_score_filter": {"lang": "", "min_score": 0.8}}])
    listed = process_samples(LANG_SAMPLES,
                             [{"language_id_score_filter": {"lang": ["zh", "en"], "min_score": 0.8}}])
    assert texts(listed) == texts(none)
    assert "a v s e e f g a qkc" not in texts(none)
    stats = compute_stats(LANG_SAMPLES, [{"language_id_score_filter": {}}])
    s = stats[4]["__dj__stats__"]
    assert s["lang"] == "en" and 0.8 <= s["lang_score"] <= 1.0


def test_language_id_keeps_existing_stats_and_empty_text():
    samples = [{"text": "Bonjour tout le monde", "__dj__stats__": {"lang": "en", "lang_score": 0.99}},
               {"text": ""}, {"meta": {}}]
    out = compute_stats(samples, [{"language_id_score_filter": {"lang": "en"}}])
    assert out[0]["__dj__stats__"] == {"lang": "en", "lang_score": 0.99}
    assert all("lang" in o["__dj__stats__"] for o in out)
    assert process_samples(samples, [{"language_id_score_filter": {"lang": "en"}}]) == [samples[0]]


# -- token_num_filter ----------------------------------------------------------------------------------

TOKEN_SAMPLES = [
    {"text": "Today is Sunday and it's a happy day!"},
    {"text": "Do you need a cup of coffee?"},
    {"text": "你好，请问你是谁"},
    {"text": "Sur la plateforme MT4, plusieurs manières d'accéder à ces fonctionnalités sont conçues "
             "simultanément."},
    {"text": "欢迎来到阿里巴巴！"},
    {"text": "This paper proposed a novel method on LLM pretraining."},
]


def test_token_num_stats_with_the_shipped_tokenizer():
    out = compute_stats(TOKEN_SAMPLES, [{"token_num_filter": {}}])
    counts = [o["__dj__stats__"]["num_token"] for o in out]
    # WordPiece: "it's" -> it ' s, Han characters one token each, no [CLS]/[SEP].
    assert counts[:3] == [11, 8, 8]
    assert counts[3] > 20


def test_token_num_filter_range_and_local_tokenizer(tmp_path):
    from sandbox_engine.models.tokenizer import shipped_tokenizer

    local = tmp_path / "tok"
    local.mkdir()
    (local / "tokenizer.json").write_bytes(shipped_tokenizer().read_bytes())
    for name in ("EleutherAI/pythia-6.9b-deduped", str(local)):
        out = process_samples(TOKEN_SAMPLES, [{"token_num_filter": {"hf_tokenizer": name,
                                                                    "min_num": 10, "max_num": 20}}])
        assert texts(out) == [TOKEN_SAMPLES[0]["text"], TOKEN_SAMPLES[5]["text"]]
    with pytest.raises(ModelUnavailableError):
        build_op("token_num_filter", {"hf_tokenizer": str(tmp_path / "none.json")})


# -- perplexity_filter -----------------------------------------------------------------------------------

PPL_SAMPLES = [
    {"text": "Today is Sunday and it's a happy day!"},
    {"text": "Today is Sund Sund Sund Sund Sund Sunda and it's a happy day!"},
    {"text": "a v s e c s f e f g a qkc"},
    {"text": "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►"},
    {"text": "Do you need a cup of coffee?"},
    {"text": "emoji表情测试下😊，😸31231"},
]


def test_perplexity_en_case():
    out = process_samples(PPL_SAMPLES, [{"perplexity_filter": {"lang": "en", "max_ppl": 900}}])
    assert texts(out) == ["Today is Sunday and it's a happy day!", "Do you need a cup of coffee?"]


def test_perplexity_stats_are_rounded_and_empty_text_is_zero():
    out = compute_stats(PPL_SAMPLES[:1] + [{"text": ""}], [{"perplexity_filter": {}}])
    ppl = out[0]["__dj__stats__"]["perplexity"]
    assert ppl > 0 and round(ppl, 1) == ppl
    assert out[1]["__dj__stats__"]["perplexity"] == 0.0


def test_perplexity_other_language_needs_a_model(tmp_path):
    from sandbox_engine.models import ngram_lm

    with pytest.raises(ModelUnavailableError, match="model_path"):
        build_op("perplexity_filter", {"lang": "fr"})
    corpus = ["le chat est sur le tapis .", "le chien est sur le tapis .", "le chat aime le chien ."]
    path = ngram_lm.train([ngram_lm.tokenize(s) for s in corpus * 4]).save(tmp_path / "fr.arpa")
    samples = [{"text": "le chat est sur le tapis."}, {"text": "tapis le sur chien aime est"}]
    out = compute_stats(samples, [{"perplexity_filter": {"lang": "fr", "model_path": str(path)}}])
    p = [o["__dj__stats__"]["perplexity"] for o in out]
    assert p[0] < p[1]


# -- text_embd_similarity_filter -------------------------------------------------------------------------

def test_text_embedding_similarity_to_a_validation_set(tmp_path):
    samples = [{"text": "How do I bake bread at home?"},
               {"text": "Stock markets fell sharply on Tuesday after the rate decision."},
               {"text": "Knead the dough, let it rise, then bake it for forty minutes."}]
    valid = [{"text": "Bread recipes and baking tips"}, {"text": "How long should dough rise?"}]
    process = [{"text_embd_similarity_filter": {"valid_dataset": valid, "min_score": 0.3}}]
    out = process_samples(samples, process, keep_stats=True)
    assert texts(out) == [samples[0]["text"], samples[2]["text"]]
    assert all(0.3 <= o["__dj__stats__"]["text_embd_similarity"] <= 1.0 for o in out)
    # the same validation set from a JSONL file gives the same scores
    path = tmp_path / "valid.jsonl"
    path.write_text("\n".join(json.dumps(v) for v in valid))
    out2 = process_samples(samples, [{"text_embd_similarity_filter": {"valid_dataset": str(path),
                                                                      "min_score": 0.3}}],
                           keep_stats=True)
    sims = [o["__dj__stats__"]["text_embd_similarity"] for o in out]
    assert [o["__dj__stats__"]["text_embd_similarity"] for o in out2] == pytest.approx(sims, abs=1e-5)


def test_text_embedding_needs_a_validation_set():
    with pytest.raises(OpArgumentError, match="valid_dataset"):
        process_samples([{"text": "hello"}], [{"text_embd_similarity_filter": {}}])
    with pytest.raises(OpArgumentError, match="pooling"):
        build_op("text_embd_similarity_filter", {"pooling": "max"})


# -- image_nsfw_filter -------------------------------------------------------------------------------------

@needs_images
def test_image_nsfw_scores_and_any_or_all():
    samples = [{"images": [IMG1]}, {"images": [IMG2, IMG3]}, {"images": []}, {"text": "no images"}]
    stats = compute_stats(samples, [{"image_nsfw_filter": {}}])
    scores = [s["__dj__stats__"]["image_nsfw_score"] for s in stats]
    assert [len(s) for s in scores] == [1, 2, 0, 0]
    assert all(0.0 <= v < 0.5 for s in scores for v in s)  # the DJ test images are all safe
    assert len(process_samples(samples, [{"image_nsfw_filter": {}}])) == 4
    lo = min(scores[1])
    keep_any = process_samples(samples, [{"image_nsfw_filter": {"max_score": lo}}])
    keep_all = process_samples(samples, [{"image_nsfw_filter": {"max_score": lo, "any_or_all": "all"}}])
    assert {"images": [IMG2, IMG3]} in keep_any and {"images": [IMG2, IMG3]} not in keep_all
    assert {"images": []} in keep_all  # no image: kept


# -- image_text_similarity_filter ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory):
    from sandbox_engine.models import clip

    return str(clip.tiny_clip(tmp_path_factory.mktemp("clip") / "tiny"))


def test_image_text_similarity_refuses_hub_names():
    with pytest.raises(ModelUnavailableError, match="never downloaded"):
        build_op("image_text_similarity_filter", {})
    with pytest.raises(OpArgumentError, match="reduce_mode"):
        build_op("image_text_similarity_filter", {"reduce_mode": "median"})


@needs_images
def test_image_text_similarity_chunks_and_reduce(tiny_clip):
    from sandbox_engine.models import clip

    text = (f"{IMAGE_TOKEN}a woman sitting on the beach with a dog {EOC_TOKEN}"
            f"{IMAGE_TOKEN}{IMAGE_TOKEN} a man sitting on the grass with a cat{EOC_TOKEN} no image")
    samples = [{"text": text, "images": [IMG1, IMG2, IMG3]},
               {"text": "no images at all", "images": []}]

    def stat(**kw):
        out = compute_stats(samples, [{"image_text_similarity_filter": {"hf_clip": tiny_clip, **kw}}])
        return [o["__dj__stats__"]["image_text_similarity"] for o in out]

    avg, none = stat()
    assert len(avg) == 2 and none == []
    mx, mn = stat(reduce_mode="max")[0], stat(reduce_mode="min")[0]
    assert mn[1] <= avg[1] <= mx[1] and mn[0] == avg[0] == mx[0]
    from PIL import Image

    scorer = clip.load(tiny_clip)
    direct = scorer.similarity("a man sitting on the grass with a cat",
                               [Image.open(p).convert("RGB") for p in (IMG2, IMG3)])
    assert avg[1] == pytest.approx(float(direct.mean()), abs=1e-5)
    assert stat(horizontal_flip=True)[0] != avg  # flipped pixels give other embeddings

    keep_all = process_samples(samples, [{"image_text_similarity_filter": {
        "hf_clip": tiny_clip, "min_score": -1.0}}])
    drop = process_samples(samples, [{"image_text_similarity_filter": {
        "hf_clip": tiny_clip, "min_score": 1.01}}])
    assert len(keep_all) == 2 and drop == [samples[1]]

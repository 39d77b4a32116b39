"""Reserved field names of the Data-Juicer sample format (see shared/specs/formats.md)."""

STATS = "__dj__stats__"
META = "__dj__meta__"
SUFFIX = "__dj__suffix__"
SOURCE_FILE = "__dj__source_file__"

HASH = "__dj__hash"
MINHASH = "__dj__minhash"
SIMHASH = "__dj__simhash"
IMAGEHASH = "__dj__imagehash"
VIDEOHASH = "__dj__videohash"
HASH_KEYS = (HASH, MINHASH, SIMHASH, IMAGEHASH, VIDEOHASH)

IMAGE_TOKEN = "<__dj__image>"
EOC_TOKEN = "<|__dj__eoc|>"

RESERVED = (STATS, META, SUFFIX, *HASH_KEYS)

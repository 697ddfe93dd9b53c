"""The shared reading of an article's speech (quotes and claims stages): every shortcut it takes gives
what the plain computation gives, and the claims stage reads the quotes stage's reading only of the
very article it was made of."""

from __future__ import annotations

import random
import re

from dossier.models import Article, Mention, OffsetMap
from dossier.pipeline import Context
from dossier.stages import claims, quotes
from dossier.stages.claim_frames import claim_lexicon
from dossier.stages.quote_lexicon import Phrases, speech_lexicon
from dossier.stages.quote_marks import find_quotes, mask
from dossier.stages.quote_speakers import Speaker, SpeakerResolver
from dossier.stages.segment import sentence_spans, split_sentences
from dossier.stages.speech_handoff import handoff
from dossier.stages.speech_text import Scan, Triggers
from dossier.vi.text import match_key
from test_claims import PLACES
from test_quotes import article

TEXTS = [
    "Ông Putin nói: “Thỏa thuận này là bước ngoặt.” Sau đó ông rời đi.\nHai bên ký kết.",
    "TS. Nguyễn Văn A cho biết giá là 11.000 đồng. Mr. Kim đến Hà Nội lúc 9 giờ… Ai biết?",
    "Kommersant viết: « Chiếc ghế hóa ra\nlại là chủ đề »! Đó là J. Biden.\n\n“Câu thứ nhất.\n“Câu thứ hai.”",
    "Ông nói 'đây là' việc của Mỹ.Không ai\u00a0tin. (Nguồn: AFP) TP. HCM; ô. Lê nói \"x.\" Y.",
    "  \n Hòa bình, thuỷ điện và HOÀ BÌNH  .\n",
    "",
]


def random_texts(count: int, seed: int) -> list[str]:
    """Texts made of lexicon words, names, quotation marks and sentence punctuation."""
    rnd = random.Random(seed)
    lex, cl = speech_lexicon(), claim_lexicon()
    words = sorted(lex.speech_verbs.words | cl.accusations.words | cl.denials.words | lex.role_any.words)
    words += ["Ông", "Kim", "TP", "q", "x1", "Hoà", "hòa", "ươ"]
    seps = [" ", " ", " ", "\n", ". ", ", ", "“", "”", '"', "'", "  ", ".\n", "\n\n", "-", "", "\u00a0", "! "]
    return [
        "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(1, 30))) for _ in range(count)
    ]


def plain(text: str) -> Article:
    art = Article(source_id="s", start_line=1, end_line=1, title="t", text=text, offsets=OffsetMap([]))
    art.sentences = split_sentences(text, art.offsets)
    return art


def test_article_key_is_the_match_key_of_the_text() -> None:
    for text in TEXTS + random_texts(300, 2):
        art = plain(text)
        assert art.key == match_key(text)
        # a masked key is the key of the masked text
        spans = find_quotes(text)
        assert mask(art.key, spans) == match_key(mask(text, spans))
    # sentences that do not tile the text (or none at all) fall back to the whole text
    art = plain(TEXTS[0])
    art.sentences = art.sentences[1:2]
    art.sentences[0].text = "khác"
    assert art.key == match_key(TEXTS[0])
    assert plain("").key == ""


def test_phrases_match_as_the_plain_longest_first_alternation() -> None:
    lex = speech_lexicon()
    for phrases in (lex.speech_verbs, lex.role_any, lex.predicate_starters, claim_lexicon().accusations):
        keys = sorted(phrases.words, key=len, reverse=True)
        body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
        reference = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
        for text in random_texts(40, 3):
            key = match_key(text)
            assert [m.span() for m in phrases.finditer(key)] == [m.span() for m in reference.finditer(key)]
            for at in range(0, len(key), 3):
                got, want = phrases.starts(key, at), reference.match(key, at)
                assert (got and got.span()) == (want and want.span())
                # the longest phrase ending at ``at`` (spaces before it skipped)
                head = len(key[:at].rstrip())
                ending = [m for m in reference.finditer(key, max(0, head - 40), head) if m.end() == head]
                got = phrases.ends_before(key, at)
                assert (got and got.span()) == (ending[0].span() if ending else None)
    empty = Phrases.of([])
    assert empty.finditer("nói") == [] and empty.starts("nói") is None and not empty.opens_a_word("nói")


def test_a_scan_reads_any_stretch_as_a_search_limited_to_it() -> None:
    lex = speech_lexicon()
    rnd = random.Random(4)
    for text in random_texts(300, 5):
        key = match_key(text)
        scan = Scan(lex.speech_verbs, key)
        stretches = sentence_spans(text)
        touched = scan.touched(stretches)
        for i, (start, end) in enumerate(stretches):
            assert i in touched or not lex.speech_verbs.finditer(key, start, end)
        for _ in range(10):
            start = rnd.randrange(len(key) + 1)
            end = rnd.randrange(start, len(key) + 1)
            want = [m.span() for m in lex.speech_verbs.finditer(key, start, end)]
            assert [m.span() for m in scan.within(start, end)] == want
    # a stretch cut inside a phrase: "nói thêm" straddles its end, "nói" is the limited search's match
    key = match_key("ông nói thêm")
    assert [m.group() for m in Scan(lex.speech_verbs, key).within(0, 7)] == [match_key("nói")]


def test_triggers_find_each_list_as_its_own_scan_does() -> None:
    lex, cl = speech_lexicon(), claim_lexicon()
    lists = [lex.speech_verbs, cl.accusations, cl.statements, cl.denials, lex.source_markers]
    triggers = Triggers(lists)
    for text in random_texts(300, 6) + TEXTS:
        key = match_key(text)
        for scan, phrases in zip(triggers.scans(key), lists, strict=True):
            assert [m.span() for m in scan.matches] == [m.span() for m in phrases.finditer(key)]


def test_a_remembered_stretch_follows_a_changed_last_speaker() -> None:
    text = "Ông Kim đến. Ông Putin nói. Ông nói tiếp."
    mentions = [Mention(4, 7, "Kim", "ent-kim", "person"), Mention(17, 22, "Putin", "ent-putin", "person")]
    resolver = SpeakerResolver(text, mentions)
    pronoun = text.index("Ông nói tiếp")
    verb = pronoun + 4
    assert resolver.resolve(pronoun, verb).entity == "ent-putin"  # the last person mentioned
    resolver.remember(Speaker("Kim", "ent-kim", "person", 4, ("ent-kim",)))
    assert resolver.resolve(pronoun, verb).entity == "ent-kim"  # the last speaker, not the stored answer
    assert resolver.fresh().resolve(pronoun, verb).entity == "ent-putin"


def test_claims_read_the_quotes_reading_only_of_the_same_unchanged_article() -> None:
    text = (
        "Washington cáo buộc Triều Tiên cấp vũ khí cho Nga.\n"
        "Ông Kim nói: “Chúng tôi không bán gì.” Cả Nga và Triều Tiên đều bác bỏ những cáo buộc này."
    )
    names = {**PLACES, "Kim": ("ent-kim-jong-un", "person")}
    alone = claims.run(quotes.run(article(text, names), None), None)  # type: ignore[arg-type]
    ctx = Context()
    shared = claims.run(quotes.run(article(text, names), ctx), ctx)
    assert shared.claims == alone.claims and shared.quotes == alone.quotes
    assert alone.claims  # the example has claims to compare
    held = handoff(ctx)
    assert held is not None
    art = quotes.run(article(text, names), ctx)
    art.mentions = list(art.mentions)  # replaced since the quotes stage read it
    assert held.take(art) is None
    other = article(text, names)
    quotes.run(other, ctx)
    assert held.take(article(text, names)) is None  # the same text is another article
    assert held.take(other) is not None and held.take(other) is None


def test_a_role_is_looked_up_among_the_persons_that_can_hold_it() -> None:
    names = {
        "Vladimir Putin": ("ent-vladimir-putin", "person"),
        "Kim Jong Un": ("ent-kim-jong-un", "person"),
        "Matthew Miller": ("ent-matthew-miller", "person"),
        "Yang Uk": ("ent-new-yang-uk", "person"),
        "Nga": ("ent-russia", "country"),
        "Bắc Hàn": ("ent-north-korea", "country"),
        "Bộ Ngoại giao Mỹ": ("ent-us-state-department", "organization"),
    }
    art = article(
        "Tổng thống Nga Vladimir Putin đón nhà lãnh đạo Bắc Hàn Kim Jong Un.\n"
        "Người phát ngôn Bộ Ngoại giao Mỹ Matthew Miller nói rằng Yang Uk, nhà nghiên cứu tại Seoul, "
        "đã cảnh báo. Chủ tịch Kim Jong Un và tổng thống Vladimir Putin gặp nhau.",
        names,
    )
    resolver = SpeakerResolver(art.text, art.mentions)
    lex = speech_lexicon()
    assert len(resolver.roles) >= 4  # the example introduces several persons by their roles
    for role, kind in lex.role_kind.items():
        for modifiers in (frozenset(), frozenset({"ent-russia"}), frozenset({"ent-north-korea"})):
            for at in (0, len(art.text) // 2, len(art.text)):
                fitting = [
                    e
                    for e in resolver.roles
                    if (e.role == role or (kind == "leader" and e.kind == "leader"))
                    and (not modifiers or e.modifiers & modifiers)
                ]
                before = [e for e in fitting if e.at < at]
                want = (
                    max(before, key=lambda e: e.at)
                    if before
                    else min(fitting, key=lambda e: e.at, default=None)
                )
                assert resolver._by_role(role, kind, modifiers, at) == want

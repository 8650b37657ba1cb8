"""The read stage: inputs to articles or rejects, decoding, language, titles, blocks.

Fixtures under tests/fixtures/read/ are text written for these tests. Tests that read ../shared/
(the sample article, the extraction benchmark) skip when it is absent, except in CI.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import random
from dataclasses import replace
from pathlib import Path

import pytest

from tripwire.config import Settings
from tripwire.document import Block, Document
from tripwire.read import find_blocks, read_inputs, read_text
from tripwire.read.article import normalise_date, plain_text_title
from tripwire.read.blocks import block_texts, load_patterns, same_headline
from tripwire.read.decode import ReadError, clean_text, decode_bytes, fix_mojibake, unglue_sentences
from tripwire.read.language import detect_language
from tripwire.record import Article, Reject, article_id_for

FIXTURES = Path(__file__).parent / "fixtures" / "read"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE = SHARED / "samples" / "000_7c7713c280c6d38f.txt"
SETTINGS = Settings()


def shared_file(path: Path) -> Path:
    """Skip (fail in CI) when a file from ../shared is not there."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing; CI must have ../shared beside the checkout")
        pytest.skip(f"{path} not found: these tests need ../shared beside the checkout")
    return path


def read_one(path: str | Path, **kwargs) -> Article | Reject:
    items = list(read_inputs([str(path)], settings=kwargs.pop("settings", SETTINGS), **kwargs))
    assert len(items) == 1, items
    return items[0]


def assert_partition(text: str, blocks: list[Block]) -> None:
    """Blocks are in order, do not overlap, are trimmed, and cover every non-space character."""
    position = 0
    for block in blocks:
        assert block.start >= position
        assert text[position : block.start].strip() == ""
        assert not text[block.start].isspace() and not text[block.end - 1].isspace()
        position = block.end
    assert text[position:].strip() == ""


# ---------------------------------------------------------------------------------------------
# The sample article


def test_sample_reads_with_title_and_unglued_sentence() -> None:
    article = read_one(shared_file(SAMPLE), published="2020-09-28")
    assert isinstance(article, Article)
    assert article.title == "Threat to evacuate US diplomats from Iraq raises war fears | Middle East"
    assert article.text.startswith(article.title + "\n")
    assert "into a combat zone. Any move by the United States" in article.text
    assert "U.S. officials have said" in article.text
    assert article.language == "en"
    assert article.published == "2020-09-28"
    assert article.warnings == []
    assert article.article_id == article_id_for(article.text)


def test_sample_blocks() -> None:
    article = read_one(shared_file(SAMPLE))
    assert isinstance(article, Article)
    blocks = find_blocks(article.text, article.title)
    assert_partition(article.text, blocks)
    marked = [(kind, text) for kind, text in block_texts(article.text, blocks) if kind != "body"]
    assert marked == [
        ("title", "Threat to evacuate US diplomats from Iraq raises war fears | Middle East"),
        ("heading", "Perpetual risk"),
        (
            "caption",
            "Protesters burn property outside the US Embassy compound in Baghdad, Iraq in December 2019 "
            "[Khalid Mohammed/AP]",
        ),
        ("heading", "Double edged sword"),
        ("heading", "Falcons on both sides"),
        ("debris", "Please enter your comment!"),
        ("debris", "Please enter your name here"),
    ]
    assert sum(block.kind == "body" for block in blocks) == 31


# ---------------------------------------------------------------------------------------------
# Blocks on our own text


def test_find_blocks_on_plain_text_fixture() -> None:
    text = (FIXTURES / "headings.txt").read_text(encoding="utf-8")
    blocks = find_blocks(text, "Militia rockets hit Kirkuk base as tensions rise")
    assert_partition(text, blocks)
    assert block_texts(text, blocks) == [
        ("title", "Militia rockets hit Kirkuk base as tensions rise"),
        (
            "body",
            "Four rockets struck a military base near Kirkuk airport late on Sunday, wounding two "
            "contractors, the regional security command said.",
        ),
        ("body", "Officials blamed a militia that has targeted foreign forces in the province before."),
        ("heading", "A long season of attacks"),
        ("body", "It was the third attack on the base this month, police said."),
        ("caption", "Police officers inspect the launch site south of Kirkuk on Monday (Photo: Sara Haddad)"),
        ("body", "The governor called for calm and said an investigation had begun."),
        ("debris", "Share this article"),
        ("debris", "Sign up for our daily newsletter"),
        ("debris", "Leave a reply"),
    ]


@pytest.mark.parametrize(
    ("paragraph", "kind"),
    [
        ("Advertisement", "debris"),
        ("Related: Iraq's parliament votes to expel foreign troops", "debris"),
        ("Read more: How the militias grew", "debris"),
        ("Tags: Iraq, Iran, United States", "debris"),
        ("© 2021 Example Media. All rights reserved.", "debris"),
        ("We use cookies to improve your experience on our site.", "debris"),
        ("Reporting by Sara Haddad; Editing by Tom Reed", "debris"),
        ("Follow us on Twitter", "debris"),
        ("FILE PHOTO: Iraqi soldiers stand guard at a checkpoint in Baghdad", "caption"),
        ("Iraqi soldiers stand guard at a checkpoint in Baghdad. REUTERS/Sara Haddad", "caption"),
        ("Mourners carry a coffin in Najaf on Tuesday (AP Photo/Sam Reed)", "caption"),
        ("A fire burns at the depot after the strike. Getty Images", "caption"),
        ("BAGHDAD (AP) — Two rockets hit the Iraqi capital on Monday, police said.", "body"),
        ("Top-ranking officials said the talks would resume.", "body"),
        ("He said readers could read more about the plan online.", "body"),
    ],
)
def test_block_kinds(paragraph: str, kind: str) -> None:
    text = f"Headline here\n\nFirst paragraph of the story, which is long enough.\n\n{paragraph}\n\nLast one."
    assert block_texts(text, find_blocks(text))[2] == (kind, paragraph)


def test_first_paragraph_that_is_debris_is_not_the_title() -> None:
    text = "Advertisement\n\nRockets hit base\n\nTwo rockets hit the base on Monday, police said."
    assert [block.kind for block in find_blocks(text)] == ["debris", "title", "body"]


def test_single_newlines_split_short_lines_but_not_wrapped_prose() -> None:
    text = (
        "Police said the attack on the convoy happened shortly after\n"
        "dawn on the road to the airport, and that nobody was hurt.\n"
        "Advertisement\n"
        "The convoy was carrying supplies."
    )
    assert [kind for kind, _ in block_texts(text, find_blocks(text))] == ["body", "debris", "body"]


def test_extra_pattern_file(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text("[[debris]]\npattern = '^Our coverage of the war$'\nnote = 'a site banner'\n")
    text = "Our coverage of the war\n\nGunmen attacked a checkpoint.\n\nOur coverage of the war"
    blocks = find_blocks(text, "Something else", patterns=load_patterns([extra]))
    assert [block.kind for block in blocks] == ["debris", "body", "debris"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Threat to evacuate US diplomats | Middle East", "Threat to evacuate US diplomats", True),
        ("Opinion | Republicans Are Following Trump", "Republicans are following Trump", True),
        ("‘The Medium’: a festival | Inexhibit", "'The Medium': a festival", True),
        ("Rockets hit base", "Rockets hit base near Kirkuk airport in northern Iraq on Sunday night", False),
        ("Rockets hit", "Rockets hit base", False),
    ],
)
def test_same_headline(a: str, b: str, same: bool) -> None:
    assert same_headline(a, b) is same


def test_page_title_is_not_repeated_when_the_headline_differs_only_by_site_name() -> None:
    html = (
        "<html><head><title>Gunmen storm police station | Ledger</title></head><body><article>"
        "<h1>Gunmen storm police station</h1><p>Gunmen stormed a police station in Kirkuk on Sunday, "
        "killing two officers, the provincial police chief said in a statement.</p></article></body></html>"
    )
    (article,) = read_inputs(["-"], settings=SETTINGS, stdin=io.BytesIO(html.encode()))
    assert isinstance(article, Article)
    assert article.text.count("Gunmen storm police station") == 1
    assert [block.kind for block in find_blocks(article.text, article.title)] == ["title", "body"]


def test_segment_stage_sets_blocks() -> None:
    from tripwire.pipeline import STAGES
    from tripwire.stages import segment  # noqa: F401  (registers the stage)

    text = "Rockets hit base\n\nTwo rockets hit the base on Monday.\n\nLeave a Reply"
    doc = Document(article=Article(article_id=article_id_for(text), text=text, title="Rockets hit base"))
    STAGES["segment"](doc)
    assert [(b.start, b.end, b.kind) for b in doc.blocks] == [
        (0, 16, "title"),
        (18, 53, "body"),
        (55, 68, "debris"),
    ]
    assert doc.block_kind_at(60) == "debris"


# ---------------------------------------------------------------------------------------------
# Inputs


def test_html_page_with_comment_form() -> None:
    article = read_one(FIXTURES / "comment_form.html")
    assert isinstance(article, Article)
    assert article.title == "Rockets strike base near Kirkuk airport"
    assert article.outlet == "The Daily Ledger"
    assert article.url == "https://ledger.example/world/kirkuk-rockets"
    assert article.published == "2021-03-15"
    assert article.text == (
        "Rockets strike base near Kirkuk airport\n\n"
        "Four rockets struck a military base near Kirkuk airport late on Sunday, wounding two "
        "contractors, the regional security command said in a statement on Monday.\n\n"
        "Smoke rises over the base near Kirkuk on Sunday evening [Sara Haddad/Ledger]\n\n"
        "No group has claimed responsibility for the attack. Officials blamed a militia that has "
        "targeted foreign forces in the province before, and said the launch site was found in a "
        "field south of the city.\n\n"
        "A pattern of attacks\n\n"
        "It was the third attack on the base this month. Local police said they had arrested two men "
        "who were seen near the launch site shortly before the rockets were fired."
    )
    kinds = [block.kind for block in find_blocks(article.text, article.title)]
    assert kinds == ["title", "body", "caption", "body", "heading", "body"]


def test_published_argument_beats_page_date_and_line_date_beats_argument() -> None:
    page = read_one(FIXTURES / "comment_form.html", published="2021-03-20")
    assert isinstance(page, Article) and page.published == "2021-03-20"
    items = list(read_inputs([str(FIXTURES / "mixed.jsonl")], published="2021-03-20", settings=SETTINGS))
    assert [(item.id, getattr(item, "published", None)) for item in items] == [
        ("a1", "2021-03-05"),
        (None, None),
        ("a3", None),
        (None, None),
        ("4", "2021-03-20"),
    ]


def test_cp1252_file() -> None:
    article = read_one(FIXTURES / "cp1252.txt")
    assert isinstance(article, Article)
    assert article.text == (
        "Café owners in Basra said the “protest” was peaceful.\n"
        "The governor’s office didn’t comment — police said 12 people were detained."
    )
    assert article.warnings == ["input is not valid UTF-8; decoded as cp1252"]
    assert article.title is None


def test_utf16_file_with_bom() -> None:
    article = read_one(FIXTURES / "utf16_bom.txt")
    assert isinstance(article, Article)
    assert article.text == (
        "Rockets hit the green zone\n\nTwo rockets landed near the embassy in Baghdad on Monday, the military said."
    )
    assert article.title == "Rockets hit the green zone"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("image.png", "binary file: a PNG image"),
        ("empty.txt", "empty: there is no text in this input"),
        ("french.txt", "not English: the text looks French (fr); tripwire codes English text only"),
        ("missing.txt", "no such file or folder"),
    ],
)
def test_rejects(name: str, reason: str) -> None:
    item = read_one(FIXTURES / name)
    assert item == Reject(str(FIXTURES / name), reason)


@pytest.mark.parametrize("encode", [lambda data: base64.b64encode(data).decode(), bytes.hex])
def test_encoded_data_is_refused_as_not_text(encode) -> None:
    data = random.Random(7).randbytes(3000)
    item = read_text(encode(data))
    assert isinstance(item, Reject)
    assert item.reason.startswith("not text: most of its words are not words of any language")


def test_jsonl_lines_each_give_an_article_or_a_reject() -> None:
    path = str(FIXTURES / "mixed.jsonl")
    items = list(read_inputs([path], settings=SETTINGS))
    first, second, third, fourth, fifth = items
    assert isinstance(first, Article)
    assert (first.id, first.input, first.url, first.published) == (
        "a1",
        f"{path}:1",
        "https://news.example/mosul",
        "2021-03-05",
    )
    assert second == Reject(f"{path}:2", "malformed JSON: Unterminated string starting at: line 1 column 22 (char 21)")
    assert third == Reject(f"{path}:3", 'missing "text" (or "html"): each line needs {"id": ..., "text": ...}', id="a3")
    assert fourth == Reject(f"{path}:4", 'expected a JSON object with "id" and "text", got list')
    assert isinstance(fifth, Article)
    assert (fifth.id, fifth.input, fifth.published) == ("4", f"{path}:6", None)
    assert fifth.warnings == ["\"published\" 'last week' is not a date; ignored (write it as YYYY-MM-DD)"]


def test_jsonl_line_over_the_byte_limit_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    long_text = "Rockets hit the base. " * 500
    lines = [{"id": "short", "text": "Troops withdrew."}, {"id": "long", "text": long_text}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines) + '{"id": "last", "text": "Talks began."}')
    items = list(read_inputs([str(path)], settings=replace(SETTINGS, max_input_bytes=1_000)))
    assert [(type(item).__name__, item.input) for item in items] == [
        ("Article", f"{path}:1"),
        ("Reject", f"{path}:2"),
        ("Article", f"{path}:3"),
    ]
    assert items[1].reason.startswith("line longer than 1,000 bytes")


def test_jsonl_html_field(tmp_path: Path) -> None:
    line = {
        "id": "h1",
        "html": "<p>Gunmen killed two guards at a checkpoint in Diyala province on Tuesday, police said.</p>",
        "title": "Two guards killed in Diyala",
    }
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(line) + "\n")
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.text == (
        "Two guards killed in Diyala\n\n"
        "Gunmen killed two guards at a checkpoint in Diyala province on Tuesday, police said."
    )


def test_stdin_text_html_and_jsonl() -> None:
    text = b"Rockets hit base\n\nTwo rockets hit the base near the airport on Monday, police said.\n"
    (article,) = read_inputs(["-"], settings=SETTINGS, stdin=io.BytesIO(text))
    assert isinstance(article, Article)
    assert (article.input, article.title) == ("<stdin>", "Rockets hit base")

    html = (
        b"<!doctype html><html><body><article><p>Police arrested five protesters in Basra.</p></article></body></html>"
    )
    (page,) = read_inputs(["-"], settings=SETTINGS, stdin=io.BytesIO(html))
    assert isinstance(page, Article) and page.text == "Police arrested five protesters in Basra."

    lines = b'{"id": "x", "text": "Troops withdrew from the town."}\n{"id": "y"}\n'
    items = list(read_inputs(["-"], settings=SETTINGS, stdin=io.BytesIO(lines)))
    assert [(type(item).__name__, item.input, item.id) for item in items] == [
        ("Article", "<stdin>:1", "x"),
        ("Reject", "<stdin>:2", "y"),
    ]


def test_gzip_and_folder(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    body = b"Troops shelled the village on Friday, residents said."
    (tmp_path / "b" / "story.txt.gz").write_bytes(gzip.compress(body))
    (tmp_path / "a.txt").write_bytes(b"Protesters marched in Basra on Sunday.")
    (tmp_path / ".hidden" / "c.txt").write_bytes(b"Hidden.")
    (tmp_path / ".d.txt").write_bytes(b"Hidden too.")
    (tmp_path / "notes.md").write_bytes(b"Not read.")
    (tmp_path / "broken.txt.gz").write_bytes(b"not gzip at all")
    items = list(read_inputs([str(tmp_path)], settings=SETTINGS))
    assert [(Path(item.input).relative_to(tmp_path).as_posix(), type(item).__name__) for item in items] == [
        ("a.txt", "Article"),
        ("b/story.txt.gz", "Article"),
        ("broken.txt.gz", "Reject"),
    ]
    assert items[1].text == body.decode()
    assert items[2].reason.startswith("not a valid gzip file")


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    (item,) = read_inputs([str(tmp_path)], settings=SETTINGS)
    assert isinstance(item, Reject) and item.reason.startswith("folder has no files to read")


def test_permission_error_is_a_reject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Some text.")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    assert read_one(path) == Reject(str(path), "permission denied: Permission denied")


def test_huge_input_is_truncated_with_a_warning(tmp_path: Path) -> None:
    paragraph = "Militias fired rockets at the base again on Monday, officials said. " * 20
    path = tmp_path / "long.txt"
    path.write_text((paragraph + "\n\n") * 50)
    settings = replace(SETTINGS, max_input_bytes=10_000, max_text_chars=5_000)
    article = read_one(path, settings=settings)
    assert isinstance(article, Article)
    assert len(article.text) == 4_999 and article.text.endswith("rockets at the")  # a whole word
    assert article.warnings == [
        "input truncated at 10,000 bytes (TRIPWIRE_MAX_INPUT_BYTES)",
        "text truncated at 5,000 characters (TRIPWIRE_MAX_TEXT_CHARS)",
    ]


def test_broken_html_does_not_crash() -> None:
    for html in (
        "<html><body><p>unclosed <div><<<>&#xffffff;<table><tr><td>",
        "<html><nav>Home</nav></html>",
    ):
        (item,) = read_inputs(["-"], settings=SETTINGS, stdin=io.BytesIO(html.encode()))
        assert isinstance(item, Reject | Article)
    (item,) = read_inputs(["-"], settings=SETTINGS, stdin=io.BytesIO(b"<html><nav>Home</nav></html>"))
    assert isinstance(item, Reject) and item.reason.startswith("HTML with no extractable main text")


def test_read_text() -> None:
    article = read_text("Gunmen stormed a police station in Kirkuk.", id="k1", published="2021-01-02")
    assert isinstance(article, Article)
    assert (article.id, article.published, article.input) == ("k1", "2021-01-02", "<text>")
    raw = "  Troops left.Police arrived in Kirkuk on Sunday.\u200b "
    assert read_text(raw).text == "Troops left. Police arrived in Kirkuk on Sunday."
    assert read_text(raw, clean=False).text == raw


# ---------------------------------------------------------------------------------------------
# Decoding and cleaning


def test_decode_binary_and_utf16_without_bom() -> None:
    with pytest.raises(ReadError, match="PDF"):
        decode_bytes(b"%PDF-1.7\n%\xe2\xe3")
    with pytest.raises(ReadError, match="NUL"):
        decode_bytes(b"\x00\x01\x02\x03binary\x00\xff" * 10)
    with pytest.raises(ReadError, match="control characters"):
        decode_bytes(bytes(range(1, 32)) * 20)
    assert decode_bytes("Shelling resumed.".encode("utf-16-le")).text == "Shelling resumed."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_decode_byte_order_marks(encoding: str) -> None:
    decoded = decode_bytes("Gunmen fired on the crowd in Nasiriyah.".encode(encoding))
    assert decoded.text == "Gunmen fired on the crowd in Nasiriyah."


def test_truncated_utf16_and_utf8_drop_the_half_character() -> None:
    assert decode_bytes("Shelling résumé".encode("utf-16")[:-1], truncated=True).text == "Shelling résum"
    assert decode_bytes("Shelling résumé".encode()[:-1], truncated=True).text == "Shelling résum"


def test_clean_text() -> None:
    raw = "Iraq\u2019s\u200b army \u00e2\u20ac\u0153said\u00e2\u20ac\x9d\r\nno.\x00 Caf\u0065\u0301 open."
    assert clean_text(raw) == "Iraq’s army “said”\nno. Café open."
    assert fix_mojibake("Ãœber alles, cafÃ©") == "Über alles, café"
    assert fix_mojibake("São Paulo, naïve, Ã stays, Â± too") == "São Paulo, naïve, Ã stays, ± too"
    assert clean_text(clean_text(raw)) == clean_text(raw)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("into a combat zone.Any move by", "into a combat zone. Any move by"),
        ("they fled.The army said?Yes", "they fled. The army said? Yes"),
        ("in Baghdad.The attack", "in Baghdad. The attack"),
        ("the U.S.Army and the U.S. Embassy", "the U.S.Army and the U.S. Embassy"),
        ("Mr.Smith and Dr.Jones", "Mr.Smith and Dr.Jones"),
        ("e.g.The case", "e.g.The case"),
        ("growth of 3.5 per cent", "growth of 3.5 per cent"),
        (
            "see https://news.example/world.Html or www.news.example/Iraq",
            "see https://news.example/world.Html or www.news.example/Iraq",
        ),
        ("mail desk@news.example.Org", "mail desk@news.example.Org"),
        ("write to www.DearAbby.com today", "write to www.DearAbby.com today"),
    ],
)
def test_unglue_sentences(before: str, after: str) -> None:
    assert unglue_sentences(before) == after


# ---------------------------------------------------------------------------------------------
# Language, dates, titles


@pytest.mark.parametrize(
    ("text", "code", "confident"),
    [
        ((FIXTURES / "headings.txt").read_text(encoding="utf-8"), "en", True),
        ((FIXTURES / "french.txt").read_text(encoding="utf-8"), "fr", True),
        (
            "Die Polizei hat am Montag eine Demonstration vor der Botschaft in Bagdad aufgelöst, wie "
            "Sicherheitskreise mitteilten. Mehrere Menschen wurden verletzt und die Polizei nahm zehn "
            "Demonstranten fest.",
            "de",
            True,
        ),
        (
            "Las fuerzas de seguridad dispersaron el lunes una manifestación frente a la embajada en "
            "Bagdad, según fuentes policiales. Varias personas resultaron heridas y la policía detuvo a "
            "una decena de manifestantes.",
            "es",
            True,
        ),
        ("Силы безопасности в понедельник разогнали демонстрацию у посольства в Багдаде.", "ru", True),
        ("Rockets hit Baghdad", "en", False),
        ("Le président a dit non.", "en", False),
    ],
)
def test_detect_language(text: str, code: str, confident: bool) -> None:
    guess = detect_language(text)
    assert (guess.code, guess.confident) == (code, confident)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-09-28", "2020-09-28"),
        ("2020-09-28T14:03:00+03:00", "2020-09-28"),
        ("2020-09-28 14:03", "2020-09-28"),
        ("28 September 2020", "2020-09-28"),
        ("Sep 28, 2020", "2020-09-28"),
        ("2020-02-30", None),
        ("yesterday", None),
        ("September 2020", None),
        ("", None),
    ],
)
def test_normalise_date(value: str, expected: str | None) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Rockets hit base\n\nTwo rockets hit the base.", "Rockets hit base"),
        ("Rockets hit base\nTwo rockets hit the base.", "Rockets hit base"),
        ("Two rockets hit the base.\n\nPolice said so.", None),
        ("Rockets hit base", None),
        ("Advertisement\nRockets hit base\n\nTwo rockets hit the base.", "Rockets hit base"),
        ("Rockets hit base\n\nLeave a reply", None),
        ("  \nWhy did the militias strike now?\n\nAnalysts disagree.", "Why did the militias strike now?"),
    ],
)
def test_plain_text_title(text: str, title: str | None) -> None:
    assert plain_text_title(text) == title


# ---------------------------------------------------------------------------------------------
# The extraction evaluation


def test_article_extraction_evaluation_runs_on_a_slice() -> None:
    from tripwire.evaluation import EvalOptions
    from tripwire.evaluation.article_extraction import evaluate

    datasets = shared_file(SHARED / "datasets" / "article_extraction").parent
    report = evaluate(EvalOptions(datasets=datasets, limit=5))
    assert report.metrics["pages"] == 5
    assert report.metrics["f1"] > 0.8


def test_article_extraction_evaluation_says_when_the_dataset_is_missing(tmp_path: Path) -> None:
    from tripwire.evaluation import DatasetMissing, EvalOptions
    from tripwire.evaluation.article_extraction import evaluate

    with pytest.raises(DatasetMissing):
        evaluate(EvalOptions(datasets=tmp_path))

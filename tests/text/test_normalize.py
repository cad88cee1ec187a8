"""The fast path of normalize() (one translate pass) gives exactly what the character walk gives."""
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluate import facts
from pipeline.text.normalize import _normalize_slow, normalize


def _same(text: str) -> None:
    a, b = normalize(text), _normalize_slow(text)
    assert (a.text, list(a.starts), list(a.ends)) == (b.text, list(b.starts), list(b.ends)), text


def test_on_every_corpus_text():
    for c in facts.load_corpus(facts.DEV) + facts.load_corpus(facts.CORPUS / "facts-dev2"):
        _same(c["title"])
        for line in c["body"].splitlines():
            _same(line)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("区塊鏈產業園１２３ａ ，。、：\u3000\u200b㎡年月日57.-") + ["\n", "\t"]),
               max_size=40))
def test_on_any_text(text):
    _same(text)

"""Texts grouped by what they are about, with key phrases: the algorithm behind the facilitator's
themes (``rooms.themes``), on plain texts and with no network.

Words are lemmatised with ``simplemma`` (its dictionaries ship inside the wheel), each text
becomes a TF-IDF vector over its lemmas and their first five letters (Dutch compounds:
*parkeerplaats*, *parkeerdruk* and *parkeren* share *parke*), and average-linkage clustering on
cosine distance (the nearest-neighbour chain, O(n²)) joins texts until the closest two groups have
too little in common. The key phrases of a group are the words (and pairs of words) that weigh
most in it and least elsewhere, shown as written.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

MAX_THEMES = 6
#: reasons less alike than this are never one theme, however few there are
FLOOR = 0.1
PREFIX = 5
OTHER = "overig"

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

# Words that say nothing about a topic (Dutch and English), besides everything of two letters or less.
_STOP_TEXT = """
aan achter af al alle alleen alles als altijd ander andere anders bij binnen boven daar daarom dan dat de deze die
dit doen door dus een eens eigen en er erg ervan even geen gewoon had heb hebben heeft hem het hier hij hoe hun iets
ik in is ja je jij juist kan komen kunnen laat laten maar meer men met mij mijn moet moeten na naar niet niets nog
nu of om omdat onder ons onze ook op over te tegen toch toe tot uit van veel voor vooral waar wat we weer wel welk
welke werd worden wordt zal ze zelf zich zij zijn zo zoals zou zullen zeer nogal heel echt beetje vaak soms steeds
ons about after again all also and any are because been but can could did does doing for from had has have her here
his how into its just more most not now off once only other our out over same should some such than that the their
them then there these they this those too under very was were what when where which while who why will with would
you your yet being still much many really quite wordt worden word ben bent was waren geweest hebt weinig goed slecht
nooit graag willen zitten staan gaan wijk buurt bewoner bewoners mensen gemeente plek mee hen wie waarom denk
vind vinden zeggen zien maken krijgen houden sinds bijna zelden
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


@dataclass
class _Doc:
    lemmas: list[str]
    surface: dict[str, Counter[str]] = field(default_factory=dict)  # lemma -> how it was written


def _lemmatizer(lang: str):  # type: ignore[no-untyped-def]  # simplemma ships no type hints
    import simplemma

    langs = ("nl", "en") if lang == "nl" else ("en", "nl")

    def lemma(word: str) -> str:
        return str(simplemma.lemmatize(word, lang=langs)).lower()

    return lemma


def warm() -> None:
    """Load the dictionaries now (about two seconds), not when the host first asks for themes."""
    _lemmatizer("nl")("jongeren")
    _lemmatizer("en")("parking")


def lemmas(text: str, lang: str = "nl") -> list[str]:
    """The words of a text that say something, lemmatised (stop words and short words left out)."""
    return [found for found in _doc(text, _lemmatizer(lang)).lemmas if found]


def _doc(text: str, lemma: object) -> _Doc:
    doc = _Doc(lemmas=[])
    for match in _WORD.finditer(text):
        word = match.group(0)
        lower = word.lower()
        if len(lower) <= 2 or lower in STOPWORDS:
            doc.lemmas.append("")  # keeps pairs of words from spanning a stop word
            continue
        found = lemma(lower)  # type: ignore[operator]
        if len(found) <= 2 or found in STOPWORDS:
            doc.lemmas.append("")
            continue
        doc.lemmas.append(found)
        doc.surface.setdefault(found, Counter())[lower] += 1
    return doc


def _features(doc: _Doc, stems: set[str]) -> Counter[str]:
    """A reason's lemmas, and the stems of the others that it contains: a Dutch compound
    (*foutparkeerder*, *hangjongeren*, *groenstrook*) shares its topic with its parts."""
    counts: Counter[str] = Counter()
    for lemma in doc.lemmas:
        if not lemma:
            continue
        counts[lemma] += 2
        for at in range(len(lemma) - PREFIX + 1):
            stem = lemma[at:at + PREFIX]
            if stem in stems:
                counts["~" + stem] += 1
    return counts


def _stems(docs: list[_Doc]) -> set[str]:
    """The first letters of every word: the stems a compound may contain."""
    return {lemma[:PREFIX] for d in docs for lemma in d.lemmas if len(lemma) >= PREFIX}


def _vectors(features: list[Counter[str]]) -> list[dict[str, float]]:
    n = len(features)
    df: Counter[str] = Counter(term for f in features for term in f)
    return [_unit({term: (1 + math.log(count)) * (math.log((1 + n) / (1 + df[term])) + 1)
                   for term, count in f.items() if count > 0}) for f in features]


def _unit(vector: dict[str, float], keep: int = 0) -> dict[str, float]:
    if keep and len(vector) > keep:
        vector = dict(sorted(vector.items(), key=lambda tv: -tv[1])[:keep])
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def _smooth(vectors: list[dict[str, float]], keep: int = 60) -> list[dict[str, float]]:
    """Each reason with the company its words keep: a word stands for the reasons it occurs in.

    Short texts on one topic often share no word at all (*tieners, school* and *jongeren, plek*);
    the words they do have co-occur elsewhere, and that carries them together (second-order
    co-occurrence, a poor man's latent semantic analysis)."""
    context: dict[str, dict[str, float]] = {}
    for vector in vectors:
        for term in vector:
            together = context.setdefault(term, {})
            for other, weight in vector.items():
                together[other] = together.get(other, 0.0) + weight
    unit = {term: _unit(together) for term, together in context.items()}
    out = []
    for vector in vectors:
        acc: dict[str, float] = dict(vector)
        for term, weight in vector.items():
            for other, x in unit[term].items():
                acc[other] = acc.get(other, 0.0) + weight * x
        out.append(_unit(acc, keep))
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _merges(sim: list[list[float]]) -> list[tuple[float, int, int]]:
    """Average-linkage merges (similarity, kept, absorbed) by the nearest-neighbour chain: the
    same merges as the textbook algorithm, in O(n²) time."""
    n = len(sim)
    sim = [row[:] for row in sim]
    size = [1] * n
    active = set(range(n))
    merges: list[tuple[float, int, int]] = []
    chain: list[int] = []
    while len(active) > 1:
        if not chain:
            chain.append(min(active))
        top = chain[-1]
        best, best_sim = -1, -math.inf
        for other in active:
            if other != top and (sim[top][other] > best_sim or (sim[top][other] == best_sim and other < best)):
                best, best_sim = other, sim[top][other]
        if len(chain) > 1 and chain[-2] == best:
            chain.pop()
            chain.pop()
            merges.append((best_sim, top, best))
            for other in active:  # Lance-Williams: the merged cluster lives on in ``top``
                if other not in (top, best):
                    value = (size[top] * sim[top][other] + size[best] * sim[best][other]) / (size[top] + size[best])
                    sim[top][other] = sim[other][top] = value
            size[top] += size[best]
            active.discard(best)
        else:
            chain.append(best)
    return sorted(merges, key=lambda m: -m[0])


def _cut(n: int, merges: list[tuple[float, int, int]], count: int) -> list[list[int]]:
    """The clusters after all but the last ``count - 1`` merges (closest first)."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _similarity, a, b in merges[:max(n - count, 0)]:
        parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _silhouette(sim: list[list[float]], clusters: list[list[int]]) -> float:
    label = {i: k for k, c in enumerate(clusters) for i in c}
    total = 0.0
    for i in range(len(sim)):
        own = clusters[label[i]]
        if len(own) == 1:
            continue
        inside = sum(1 - sim[i][j] for j in own if j != i) / (len(own) - 1)
        outside = min((sum(1 - sim[i][j] for j in c) / len(c) for k, c in enumerate(clusters) if k != label[i]),
                      default=1.0)
        total += (outside - inside) / max(inside, outside, 1e-9)
    return total / len(sim)


def cluster(vectors: Sequence[dict[str, float]], most: int = MAX_THEMES + 2) -> list[list[int]]:
    """Average-linkage clusters of ``vectors`` (their indices), largest first: the cut into 2 to
    ``most`` clusters whose members are closest to their own and farthest from the others
    (the best mean silhouette)."""
    n = len(vectors)
    if n < 3:
        return [list(range(n))] if n else []
    sim = [[_cosine(vectors[i], vectors[j]) if i != j else 1.0 for j in range(n)] for i in range(n)]
    merges = _merges([[s if i != j else -1.0 for j, s in enumerate(row)] for i, row in enumerate(sim)])
    best: tuple[float, list[list[int]]] | None = None
    fewest = max(2, n - sum(1 for similarity, _a, _b in merges if similarity >= FLOOR))
    if fewest >= n:
        return [[i] for i in range(n)]
    for count in range(fewest, min(max(most, fewest), n - 1) + 1):
        clusters = _cut(n, merges, count)
        score = _silhouette(sim, clusters)
        if best is None or score > best[0] + 1e-9:
            best = (score, clusters)
    assert best is not None
    return best[1]


def _phrases(members: list[int], docs: list[_Doc], vectors: list[dict[str, float]], limit: int = 3) -> list[str]:
    """The words and pairs of words that weigh most in these reasons and least in the others."""
    inside = set(members)
    score: Counter[str] = Counter()
    for i, vector in enumerate(vectors):
        sign = 1.0 if i in inside else -0.5 * len(inside) / max(len(vectors) - len(inside), 1)
        for term, weight in vector.items():
            if not term.startswith("~"):
                score[term] += sign * weight  # type: ignore[assignment]
    pairs: Counter[tuple[str, str]] = Counter()
    for i in members:
        lemmas = docs[i].lemmas
        for a, b in itertools.pairwise(lemmas):
            if a and b and a != b:
                pairs[a, b] += 1
    written: list[str] = []
    used: set[str] = set()
    for (a, b), count in pairs.most_common():
        if count >= 2 and score[a] > 0 and score[b] > 0 and len(written) < 1:
            written.append(f"{_surface(a, members, docs)} {_surface(b, members, docs)}")
            used |= {a, b}
    for term, value in score.most_common():
        if len(written) >= limit or value <= 0:
            break
        if term not in used:
            written.append(_surface(term, members, docs))
            used.add(term)
    return written


def _surface(lemma: str, members: list[int], docs: list[_Doc]) -> str:
    seen: Counter[str] = Counter()
    for i in members:
        seen.update(docs[i].surface.get(lemma, {}))
    return seen.most_common(1)[0][0] if seen else lemma


def group_texts(texts: Sequence[str], lang: str = "nl") -> list[tuple[list[int], list[str]]]:
    """Themes of plain texts: (the indices of the texts in it, its key phrases), largest first;
    texts that share nothing with the others end up together last, without key phrases.
    Kept for the same texts: the screen asks again on every redraw while a theme is shown."""
    return [(list(m), list(p)) for m, p in _grouped(tuple(texts), lang)]


@lru_cache(maxsize=16)
def _grouped(texts: tuple[str, ...], lang: str) -> tuple[tuple[tuple[int, ...], tuple[str, ...]], ...]:
    return tuple((tuple(m), tuple(p)) for m, p in _group_texts(texts, lang))


def _group_texts(texts: Sequence[str], lang: str) -> list[tuple[list[int], list[str]]]:
    lemma = _lemmatizer(lang)
    docs = [_doc(text, lemma) for text in texts]
    stems = _stems(docs)
    vectors = _vectors([_features(d, stems) for d in docs])
    clusters = cluster(_smooth(_smooth(vectors)))
    themes = [c for c in clusters if len(c) > 1][:MAX_THEMES]
    rest = sorted(i for c in clusters if c not in themes for i in c)
    out = [(c, _phrases(c, docs, vectors)) for c in themes]
    if rest:
        out.append((rest, []))
    return out

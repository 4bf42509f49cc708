"""Build the TrueType Sarabun that PDFs embed, from the web font files the portal vendors.

    python manage.py build_pdf_fonts

The portal vendors Sarabun (SIL OFL 1.1) from @fontsource/sarabun as woff2 files split into a
Thai and a Latin subset (static/vendor/sarabun/). A PDF wants one font per weight holding both
scripts, so this command decompresses both subsets and merges them into one TrueType file per
weight under static/fonts/sarabun/, next to the licence. The output is committed; run this
again only after updating the vendored woff2 files.

One change is made to the glyphs, so that text copied out of a PDF keeps SARA AM (ำ):
HarfBuzz always splits ำ into NIKHAHIT + SARA AA when shaping Thai and gives both glyphs the
same cluster; WeasyPrint's text layer maps each glyph to text once per document (the last
glyph of a cluster gets the cluster's text, the others nothing), so the shared SARA AA glyph
came back as า and the ำ was lost ("สำนักงาน" read back as "สานักงาน"). Here the SARA AA that
follows a NIKHAHIT (alone, or already joined with a tone mark into one glyph) is swapped for
an identical copy used only there, one copy per tone mark: each copy then maps to exactly
"ำ", "่ำ", "้ำ", "๊ำ" or "๋ำ", and the page looks the same as before.
"""

from __future__ import annotations

import copy
import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

SOURCE = Path(settings.BASE_DIR) / "static" / "vendor" / "sarabun"
TARGET = Path(settings.BASE_DIR) / "static" / "fonts" / "sarabun"
WEIGHTS = {"400": "Sarabun-Regular.ttf", "700": "Sarabun-Bold.ttf"}
TONES = ("", "0E48", "0E49", "0E4A", "0E4B")  # "" = NIKHAHIT without a tone mark


def _tone_glyph(tone: str) -> str:
    return f"uni0E4D{tone}" if tone else "uni0E4D"


def _sara_aa_copy(tone: str) -> str:
    return f"uni0E32.am{tone}"


def _decompressed(path: Path) -> io.BytesIO:
    font = TTFont(path)
    font.flavor = None
    buffer = io.BytesIO()
    font.save(buffer)
    buffer.seek(0)
    return buffer


def _add_sara_aa_copies(font: TTFont) -> None:
    order = font.getGlyphOrder()
    glyf, hmtx = font["glyf"], font["hmtx"]
    new = [_sara_aa_copy(tone) for tone in TONES]
    for name in new:
        glyf.glyphs[name] = copy.deepcopy(glyf["uni0E32"])
        hmtx.metrics[name] = hmtx.metrics["uni0E32"]
    font.setGlyphOrder(order + new)
    glyf.glyphOrder = font.getGlyphOrder()
    font["maxp"].numGlyphs = len(font.getGlyphOrder())

    rules = "\n".join(
        f"  sub [{_tone_glyph(tone)} {_tone_glyph(tone)}.narrow] uni0E32' by {_sara_aa_copy(tone)};"
        for tone in TONES
    )
    feature_text = (
        "languagesystem DFLT dflt;\nlanguagesystem thai dflt;\n"
        f"lookup SaraAmParts {{\n{rules}\n}} SaraAmParts;\n"
        "feature ccmp { lookup SaraAmParts; } ccmp;\n"
    )
    # feaLib would replace the whole GSUB; build the new lookups in a scratch copy and append
    # them to the font's own GSUB, after every existing lookup (so after the NIKHAHIT + tone
    # ligatures are formed).
    scratch = copy.deepcopy(font)
    del scratch["GSUB"]
    addOpenTypeFeaturesFromString(scratch, feature_text, tables=["GSUB"])
    gsub = font["GSUB"].table
    offset = len(gsub.LookupList.Lookup)
    added = scratch["GSUB"].table.LookupList.Lookup
    for lookup in added:
        for subtable in lookup.SubTable:
            for record in getattr(subtable, "SubstLookupRecord", None) or []:
                record.LookupListIndex += offset
            for rule_set in getattr(subtable, "ChainSubRuleSet", None) or []:
                for rule in rule_set.ChainSubRule:
                    for record in rule.SubstLookupRecord:
                        record.LookupListIndex += offset
    gsub.LookupList.Lookup.extend(added)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    main = offset + next(i for i, lookup in enumerate(added) if lookup.LookupType in (5, 6))
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(main)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)


class Command(BaseCommand):
    help = "Build static/fonts/sarabun/*.ttf (for PDFs) from the vendored Sarabun woff2 files."

    def handle(self, *args, **options) -> None:
        logging.getLogger("fontTools").setLevel(logging.WARNING)  # the merger logs every field
        TARGET.mkdir(parents=True, exist_ok=True)
        for weight, filename in WEIGHTS.items():
            parts = [
                _decompressed(SOURCE / f"sarabun-{subset}-{weight}-normal.woff2")
                for subset in ("latin", "thai")
            ]
            merged = Merger().merge(parts)
            _add_sara_aa_copies(merged)
            merged.save(TARGET / filename)
            self.stdout.write(f"{TARGET / filename}: {len(merged.getGlyphOrder())} glyphs")

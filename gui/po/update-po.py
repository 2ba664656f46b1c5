#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
# The desktop's message catalogues. Source strings are Danish, so da.po is the identity.
#
#   update-po.py                     regenerate gui/po/fplan-desktop.pot from gui/ and merge it
#                                    into da.po and en.po (msgmerge keeps existing translations)
#   update-po.py --pot OUT           only write the template to OUT (the build does this)
#   update-po.py --check BUILT_POT   exit 1 when the committed .pot differs from BUILT_POT or a
#                                    catalogue lacks a translation of one of its strings
#
# Run from anywhere; paths are taken relative to the repository. References name the file only
# (no line numbers), so the template changes when a string changes, not when code moves.
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PO = os.path.join("gui", "po")
POT = os.path.join(PO, "fplan-desktop.pot")


def write_pot(out):
    sources = sorted(glob.glob("gui/*.cpp") + glob.glob("gui/*.h"))
    subprocess.run(["xgettext", "--from-code=UTF-8", "--language=C++", "--keyword=_", "--keyword=tr",
                    "--keyword=trn:1,2", "--keyword=wxPLURAL:1,2", "--package-name=fplan-desktop",
                    "--no-wrap", "--sort-by-file", "--add-location=file", "-o", out] + sources, check=True)


def without_date(path):
    with open(path, encoding="utf-8") as f:
        return [line for line in f if not line.startswith('"POT-Creation-Date:')]


def check(built):
    ok = True
    if without_date(built) != without_date(POT):
        print("%s is stale: run python3 gui/po/update-po.py (or cmake --build --target update-po) "
              "and commit the result" % POT)
        ok = False
    for lang in ("da", "en"):
        po = os.path.join(PO, lang + ".po")
        # Every string of the template has a translation, none fuzzy or empty.
        result = subprocess.run(["msgcmp", "--use-untranslated", po, built], capture_output=True, text=True)
        if result.returncode != 0:
            errors = [l for l in result.stderr.splitlines() if "warning:" not in l]
            print("%s lacks strings of the template:\n%s" % (po, "\n".join(errors[:20])))
            ok = False
        stats = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, po], capture_output=True, text=True)
        if "fuzzy" in stats.stderr or "untranslated" in stats.stderr:
            print("%s: %s" % (po, stats.stderr.strip()))
            ok = False
    return ok


def update():
    write_pot(POT)
    en = os.path.join(PO, "en.po")
    da = os.path.join(PO, "da.po")
    # No fuzzy matching: a new string gets no guessed translation (the check then names it).
    subprocess.run(["msgmerge", "--quiet", "--update", "--no-wrap", "--add-location=file", "--backup=none",
                    "--no-fuzzy-matching", en, POT], check=True)
    subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", "-o", en, en], check=True)
    # Danish: the source text is the translation (msgen fills msgstr[0] and msgstr[1] of plurals).
    da_new = os.path.join(PO, "da.new.po")
    subprocess.run(["msgen", "--no-wrap", "-o", da_new, POT], check=True)
    subprocess.run(["msgmerge", "--quiet", "--no-wrap", "--add-location=file", "--no-fuzzy-matching", "-o", da,
                    da_new, POT], check=True)
    os.remove(da_new)
    # Headers: UTF-8, the language, its plural rule, and no template placeholders.
    for lang in ("da", "en"):
        path = os.path.join(PO, lang + ".po")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("#, fuzzy\n", "", 1).replace("charset=CHARSET", "charset=UTF-8")
        text = text.replace('"Language: \\n"', '"Language: %s\\n"' % lang)
        text = text.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"',
                            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
        if "Plural-Forms:" not in text:
            text = text.replace('"Content-Transfer-Encoding: 8bit\\n"',
                                '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', 1)
        text = text.replace("# SOME DESCRIPTIVE TITLE.", "# fplan-desktop message catalogue.")
        text = text.replace("# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER", "# SPDX-License-Identifier: EUPL-1.2")
        text = text.replace("# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.\n", "")
        text = text.replace('"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"', '"PO-Revision-Date: 2026-11-23 13:30+0000\\n"')
        text = text.replace('"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"', '"Last-Translator: Familieplan\\n"')
        text = text.replace('"Language-Team: LANGUAGE <LL@li.org>\\n"', '"Language-Team: Familieplan\\n"')
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    args = sys.argv[1:]
    out = os.path.abspath(args[1]) if len(args) == 2 else None
    os.chdir(ROOT)
    if args[:1] == ["--pot"] and out:
        write_pot(out)
    elif args[:1] == ["--check"] and out:
        sys.exit(0 if check(out) else 1)
    elif not args:
        update()
    else:
        sys.exit("usage: update-po.py [--pot OUT | --check BUILT_POT]")

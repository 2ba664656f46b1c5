#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
# Regenerates gui/po/fplan-desktop.pot from the sources and merges it into da.po and en.po
# (msgmerge keeps existing translations). Source strings are Danish, so da.po is the identity.
# Run from the repository root: python3 gui/po/update-po.py
import glob
import subprocess

sources = sorted(glob.glob("gui/*.cpp") + glob.glob("gui/*.h"))
subprocess.run(["xgettext", "--from-code=UTF-8", "--language=C++", "--keyword=_", "--keyword=tr",
                "--package-name=fplan-desktop", "--no-wrap", "--sort-by-file",
                "-o", "gui/po/fplan-desktop.pot"] + sources, check=True)
subprocess.run(["msgmerge", "--quiet", "--update", "--no-wrap", "--backup=none",
                "gui/po/en.po", "gui/po/fplan-desktop.pot"], check=True)
subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", "-o", "gui/po/en.po", "gui/po/en.po"], check=True)
# Danish: the source text is the translation (existing header kept).
subprocess.run(["msgen", "--no-wrap", "-o", "gui/po/da.new.po", "gui/po/fplan-desktop.pot"], check=True)
subprocess.run(["msgmerge", "--quiet", "--no-wrap", "--no-fuzzy-matching", "-o", "gui/po/da.po",
                "gui/po/da.new.po", "gui/po/fplan-desktop.pot"], check=True)
import os
os.remove("gui/po/da.new.po")
# Headers: UTF-8, the language, and no template placeholders (msgfmt --check warns about them).
for lang in ("da", "en"):
    path = "gui/po/%s.po" % lang
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("#, fuzzy\n", "", 1).replace("charset=CHARSET", "charset=UTF-8")
    text = text.replace('"Language: \\n"', '"Language: %s\\n"' % lang)
    text = text.replace("# SOME DESCRIPTIVE TITLE.", "# fplan-desktop message catalogue.")
    text = text.replace("# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER", "# SPDX-License-Identifier: EUPL-1.2")
    text = text.replace("# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.\n", "")
    text = text.replace('"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"', '"PO-Revision-Date: 2026-11-23 13:30+0000\\n"')
    text = text.replace('"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"', '"Last-Translator: Familieplan\\n"')
    text = text.replace('"Language-Team: LANGUAGE <LL@li.org>\\n"', '"Language-Team: Familieplan\\n"')
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

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
# Danish: the source text is the translation (existing header kept).
subprocess.run(["msgen", "--no-wrap", "-o", "gui/po/da.new.po", "gui/po/fplan-desktop.pot"], check=True)
subprocess.run(["msgmerge", "--quiet", "--no-wrap", "--no-fuzzy-matching", "-o", "gui/po/da.po",
                "gui/po/da.new.po", "gui/po/fplan-desktop.pot"], check=True)
import os
os.remove("gui/po/da.new.po")
with open("gui/po/da.po", encoding="utf-8") as f:
    da = f.read()
da = da.replace("#, fuzzy\n", "", 1).replace('"Language: \\n"', '"Language: da\\n"')
da = da.replace("charset=CHARSET", "charset=UTF-8")
with open("gui/po/da.po", "w", encoding="utf-8") as f:
    f.write(da)

# SPDX-License-Identifier: EUPL-1.2
# Drives fplan-desktop through AT-SPI for scripts/desktop-screenshots.sh and saves one picture.
# Usage (Debian's /usr/bin/python3, pyatspi): desktop-screenshots.py MODE OUT.png
#   window       the main window as it opened
#   new-case     the "Ny sag" dialog, opened with the list's "Ny sag …" button
#   preview      the preview window, opened with the editor's "Forhåndsvis" button
#   unlock       the dialog that creates a new Familieplan-fil (the program starts with it)
import os
import subprocess
import sys
import time

import pyatspi


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "gui"))
from atspi_tree import fail, find, wait_for  # noqa: E402


def application():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name and "fplan" in app.name.lower():
            return app
    return None


# wx dialogs show as frames on AT-SPI.
def top_window(app, title_part=None, roles=("frame", "dialog")):
    return find(app, lambda n: n.getRoleName() in roles and (title_part is None or title_part in (n.name or "")), 1)


# The main window: the frame with the case list "Sager" (the unlock dialog comes and goes first).
def main_window(app):
    return find(app, lambda n: n.getRoleName() == "frame"
                and find(n, lambda m: m.name == "Sager" and m.getRoleName() in ("table", "tree table")) is not None, 1)


def push(app, label):
    button = wait_for("the button '%s'" % label,
                      lambda: find(app, lambda n: n.getRoleName() == "push button" and n.name == label), 40)
    button.queryAction().doAction(0)


def save(window, out):
    time.sleep(2)  # let it paint
    x, y, w, h = window.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    # Window decorations are not drawn under Xvfb without a window manager: the extents are the window.
    subprocess.run(["import", "-window", "root", "-crop", "%dx%d+%d+%d" % (w, h, x, y), "+repage", out], check=True)
    print("%s: %dx%d" % (out, w, h))


mode, out = sys.argv[1], sys.argv[2]
app = wait_for("fplan-desktop on the accessibility bus", application)
if mode == "unlock":
    save(wait_for("the dialog that creates the file", lambda: top_window(app, "Opret")), out)
elif mode == "window":
    window = wait_for("the main window", lambda: main_window(app))
    time.sleep(3)  # an opened case or document fills in after the window shows
    save(window, out)
elif mode == "new-case":
    wait_for("the main window", lambda: main_window(app))
    push(app, "Ny sag …")
    save(wait_for("the dialog 'Ny sag'", lambda: top_window(app, "Ny sag")), out)
elif mode == "preview":
    wait_for("the main window", lambda: main_window(app))
    push(app, "Forhåndsvis")
    # The preview is the frame with the page canvas "Forhåndsvisning" and without the case list.
    window = wait_for("the preview window",
                      lambda: find(app, lambda n: n.getRoleName() == "frame"
                                   and find(n, lambda m: m.name == "Forhåndsvisning") is not None
                                   and find(n, lambda m: m.name == "Sager") is None, 1), 60)
    save(window, out)
else:
    fail("unknown mode " + mode)

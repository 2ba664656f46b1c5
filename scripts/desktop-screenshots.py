# SPDX-License-Identifier: EUPL-1.2
# Drives fplan-desktop through AT-SPI for scripts/desktop-screenshots.sh and saves one picture.
# Usage (Debian's /usr/bin/python3, pyatspi): desktop-screenshots.py MODE OUT.png
#   window       the main window as it opened
#   new-case     the "Ny sag" dialog, opened with the list's "Ny sag …" button
#   new-document the case overview with its "Nyt dokument" menu open (every template by title)
#   preview      the preview window, opened with the editor's "Forhåndsvis" button
#   unlock       the dialog that creates a new Familieplan-fil (the program starts with it)
#   sign-in      Synkronisering › Log ind …, filled in with $FPLAN_SHOTS_SERVER, jr and
#                $FPLAN_SHOTS_PASSWORD
#   sign-in-pinned  the same, after "Log ind": signed in, the certificate shown
#   sync-status  the main window once the first sync has ended (the status bar's right field)
#   sync-status-unreachable  the main window synced, then $FPLAN_SHOTS_SERVER_PID stopped and
#                Synkronisering › Synkroniser nu chosen
import os
import signal
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


def choose(app, label):
    item = wait_for("the menu item '%s'" % label,
                    lambda: find(app, lambda n: n.getRoleName() == "menu item" and n.name == label))
    item.queryAction().doAction(0)


def type_into(window, name, text):
    field = wait_for("the field '%s'" % name,
                     lambda: find(window, lambda n: n.name == name and n.getRoleName() in ("text", "password text")))
    field.queryEditableText().setTextContents(text)


def sign_in_dialog(app):
    wait_for("the main window", lambda: main_window(app))
    choose(app, "Log ind …")
    dialog = wait_for("the dialog 'Log ind på serveren'", lambda: top_window(app, "Log ind"))
    type_into(dialog, "Server", os.environ["FPLAN_SHOTS_SERVER"])
    type_into(dialog, "Brugernavn", "jr")
    type_into(dialog, "Adgangskode", os.environ["FPLAN_SHOTS_PASSWORD"])
    return dialog


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
elif mode == "new-document":
    window = wait_for("the main window", lambda: main_window(app))
    time.sleep(3)  # the opened case fills in
    push(app, "Nyt dokument")
    wait_for("the menu of templates",
             lambda: find(app, lambda n: n.getRoleName() == "menu item" and n.name == "Invitation til møde"
                          and n.getState().contains(pyatspi.STATE_SHOWING)))
    # The window's width and the screen's height: the menu may reach below the window's edge.
    time.sleep(2)
    x, y, w, h = window.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    subprocess.run(["import", "-window", "root", "-crop", "%dx%d+%d+%d" % (w, h + 20, x, y), "+repage", out],
                   check=True)
    print(out)
elif mode == "preview":
    wait_for("the main window", lambda: main_window(app))
    push(app, "Forhåndsvis")
    # The preview is the frame with the page canvas "Forhåndsvisning" and without the case list.
    window = wait_for("the preview window",
                      lambda: find(app, lambda n: n.getRoleName() == "frame"
                                   and find(n, lambda m: m.name == "Forhåndsvisning") is not None
                                   and find(n, lambda m: m.name == "Sager") is None, 1), 60)
    save(window, out)
elif mode == "sign-in":
    save(sign_in_dialog(app), out)
elif mode == "sign-in-pinned":
    dialog = sign_in_dialog(app)
    push(dialog, "Log ind")
    wait_for("the pinned certificate", lambda: find(dialog, lambda n: "SHA-256" in (n.name or "")), 40)
    save(dialog, out)
elif mode == "sync-status":
    window = wait_for("the main window", lambda: main_window(app))
    time.sleep(6)  # the first sync (or its failure) ends
    save(window, out)
elif mode == "sync-status-unreachable":
    window = wait_for("the main window", lambda: main_window(app))
    time.sleep(6)
    os.kill(int(os.environ["FPLAN_SHOTS_SERVER_PID"]), signal.SIGTERM)
    time.sleep(2)
    choose(app, "Synkroniser nu")
    time.sleep(3)
    save(window, out)
else:
    fail("unknown mode " + mode)

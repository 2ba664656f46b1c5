# SPDX-License-Identifier: EUPL-1.2
# Finding controls in fplan-desktop's AT-SPI tree, shared by the Xvfb smoke test and
# scripts/desktop-screenshots.py. Debian's /usr/bin/python3 (pyatspi).
import sys
import time

import pyatspi


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def wait_for(what, probe, timeout=30.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            found = probe()
        except Exception:  # the tree changes under us while windows are built
            found = None
        if found:
            return found
        time.sleep(0.3)
    fail("timed out waiting for " + what)


def find(node, predicate, depth=0):
    if node is None or depth > 40:
        return None
    try:
        if predicate(node):
            return node
        count = node.childCount
    except Exception:
        return None
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        hit = find(child, predicate, depth + 1)
        if hit is not None:
            return hit
    return None


def desktop_app():
    """fplan-desktop's application on the AT-SPI bus: the one with the case list "Sager"."""
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and find(app, lambda n: n.name == "Sager") is not None:
            return app
    return None


def new_document(app, title, timeout=30.0):
    """Makes a document in the open case through the overview's "Nyt dokument" button: the menu
    it opens lists every template by title; `title` is chosen."""
    def showing_named(name, role):
        def predicate(n):
            return (n.name == name and n.getRoleName() == role
                    and n.getState().contains(pyatspi.STATE_SHOWING))
        return find(app, predicate)
    button = wait_for("the case overview's 'Nyt dokument' button", lambda: showing_named("Nyt dokument", "push button"), timeout)
    button.queryAction().doAction(0)
    item = wait_for("the menu item %r under 'Nyt dokument'" % title, lambda: showing_named(title, "menu item"), timeout)
    item.queryAction().doAction(0)

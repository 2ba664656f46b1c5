# SPDX-License-Identifier: EUPL-1.2
# fplan-desktop at 1024×600 through AT-SPI and the keyboard (tests/gui/desktop_keyboard.sh).
# Opens the three editors of the first demo case and, in each: every button on screen and at
# least 24 px wide; Tab through the whole window returns to where it started, never stuck and
# never without a focused object; in the plan, a table row is added, typed into (Return makes a
# line break, Ctrl+Return ends the editing) and read back cell by cell with its column header.
# Tab and Shift+Tab leave the case list and come back; Esc throws a cell's editing away and Tab
# then leaves the table; Ctrl+Tab and Ctrl+Shift+Tab switch tabs from inside a table. Last, the
# program is locked from the menu and unlocked with the passphrase.
# Run with Debian's /usr/bin/python3 (pyatspi).
import os
import sys
import time

import pyatspi

from atspi_tree import desktop_app, fail, find, new_document, wait_for  # noqa: E402 (next to this file)

SCREEN_W, SCREEN_H = 1024, 600
TAB, SHIFT, CTRL, RETURN, ESCAPE = 23, 50, 37, 36, 9
shots = sys.argv[1] if len(sys.argv) > 1 else ""


def showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def named(root, name, roles=None, only_showing=True):
    def predicate(n):
        return (n.name == name and (roles is None or n.getRoleName() in roles)
                and (not only_showing or showing(n)))
    return find(root, predicate)


def extents(node):
    e = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return e.x, e.y, e.width, e.height


def walk_showing(node, visit, depth=0):
    """Calls visit(node) on every showing node; a table's cells are not entered."""
    if node is None or depth > 40:
        return
    try:
        if depth > 1 and not showing(node):
            return
        visit(node)
        if node.getRoleName() in ("table", "tree table", "table cell"):
            return
        for i in range(node.childCount):
            walk_showing(node.getChildAtIndex(i), visit, depth + 1)
    except Exception:
        pass


def focused(app):
    found = []

    def visit(n):
        if n.getState().contains(pyatspi.STATE_FOCUSED) and n.getRoleName() not in ("frame", "dialog"):
            found.append(n)
    walk_showing(app, visit)
    return found[-1] if found else None  # the innermost one


def key(code, kind=pyatspi.KEY_PRESSRELEASE):
    pyatspi.Registry.generateKeyboardEvent(code, None, kind)


def chord(modifier, code):
    key(modifier, pyatspi.KEY_PRESS)
    key(code)
    key(modifier, pyatspi.KEY_RELEASE)


def type_text(text):
    pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
    time.sleep(0.3)


def shot(name):
    if shots:
        os.system("import -window root " + os.path.join(shots, name + ".png"))


app = wait_for("fplan-desktop with the case list 'Sager'", desktop_app, 40)
frame = wait_for("the main window", lambda: find(app, lambda n: n.getRoleName() == "frame"))
x, y, w, h = extents(frame)
if x < 0 or y < 0 or x + w > SCREEN_W or y + h > SCREEN_H:
    fail("the main window (%d,%d %dx%d) does not fit the %dx%d screen" % (x, y, w, h, SCREEN_W, SCREEN_H))
print("main window: %dx%d at %d,%d, within %dx%d" % (w, h, x, y, SCREEN_W, SCREEN_H))


def select_tab(name):
    tab = wait_for("the tab " + name, lambda: find(frame, lambda n: n.getRoleName() == "page tab"
                                                   and n.name == name))
    tab.parent.querySelection().selectChild(tab.getIndexInParent())
    wait_for("the tab %s shown" % name, lambda: showing(tab) and tab.getState().contains(pyatspi.STATE_SELECTED), 10)
    time.sleep(0.5)
    return tab


# The three editors: the plan and the agenda exist, the investigation is made here.
documents = wait_for("the overview's documents", lambda: named(frame, "Dokumenter", ("table", "tree table")))


def open_document(prefix):
    table = documents.queryTable()
    for r in range(table.nRows):
        if table.getAccessibleAt(r, 0).name.startswith(prefix):
            table.addRowSelection(r)
            named(frame, "Åbn dokument", ("push button",)).queryAction().doAction(0)
            return
    fail("no document %r in the overview" % prefix)


new_document(app, "Familiefaglig undersøgelse")
wait_for("the investigation's editor", lambda: named(frame, "Familiefaglig…", ("page tab",)), 30)
select_tab("Familien Nørgaard")
open_document("Familieplan")
wait_for("the plan's editor", lambda: named(frame, "Familieplan", ("page tab",)), 30)
select_tab("Familien Nørgaard")
open_document("Dagsorden")
wait_for("the agenda's editor", lambda: named(frame, "Dagsorden for…", ("page tab",)), 30)

# Short tab titles: with the overview and three editors open, "Start" is still in view.
start = named(frame, "Start", ("page tab",))
if start is None:
    fail("the tab 'Start' is not shown with four tabs open")
sx, sy, sw, sh = extents(start)
if sw < 24 or sx < 0 or sx + sw > SCREEN_W:
    fail("the tab 'Start' is cut or off screen: %d,%d %dx%d" % (sx, sy, sw, sh))
print("tabs: 'Start' visible at %d,%d %dx%d with four more tabs" % (sx, sy, sw, sh))

TOOLBAR = ("Forhåndsvis", "Åbn PDF", "Udskriv …", "Vis ændringer …", "Færdiggør …")


def check_buttons(editor):
    buttons = []
    walk_showing(frame, lambda n: buttons.append(n) if n.getRoleName() == "push button" else None)
    names = set()
    for b in buttons:
        bx, by, bw, bh = extents(b)
        names.add(b.name)
        if bw < 24:
            fail("%s: the button %r is %d px wide" % (editor, b.name, bw))
        if bx < 0 or bx + bw > SCREEN_W:
            fail("%s: the button %r is off screen sideways (x %d, width %d)" % (editor, b.name, bx, bw))
        # The form scrolls: its row buttons may be scrolled away; the commands above it may not.
        if b.name in TOOLBAR and (by < 0 or by + bh > SCREEN_H):
            fail("%s: the button %r is off screen (y %d, height %d)" % (editor, b.name, by, bh))
    missing = [t for t in TOOLBAR if t not in names]
    if missing:
        fail("%s: the commands %s are not shown" % (editor, ", ".join(missing)))
    print("%s: %d buttons, all on screen and at least 24 px wide" % (editor, len(buttons)))


def identity(node):
    try:
        parent = node.parent.name if node.parent is not None else ""
        return (node.getRoleName(), node.name, parent)
    except Exception:
        return None


def step_focus(editor, code, modifier, step, previous, repeats):
    """Presses Tab (or Shift+Tab); returns the newly focused object and the repeat count."""
    if modifier:
        chord(modifier, code)
    else:
        key(code)
    time.sleep(0.15)
    now = focused(app)
    for _ in range(3):
        if now is not None:
            break
        time.sleep(0.4)
        now = focused(app)
    if now is None:
        fail("%s: after Tab number %d nothing reports the focus (last: %r)" % (editor, step, previous))
    current = identity(now)
    # A list with a header row takes two Tabs (the rows, then the header); three is a trap.
    repeats = repeats + 1 if current == previous else 0
    if repeats >= 2:
        fail("%s: Tabs %d to %d left the focus on %r: a keyboard trap" % (editor, step - 2, step, current))
    return now, current, repeats


def tab_walk(editor, first, page):
    """Tab from `first` until focus leaves the editor's page, then Shift+Tab back to `first`.
    Returns the objects met on the way forward."""
    first.queryComponent().grabFocus()
    wait_for("%s: the first field to take the focus" % editor,
             lambda: first.getState().contains(pyatspi.STATE_FOCUSED), 5)
    start = identity(first)
    forward = [start]
    previous, repeats = start, 0
    for step in range(1, 300):
        now, current, repeats = step_focus(editor, TAB, None, step, previous, repeats)
        if not inside(page, now):
            break
        if current != previous:
            forward.append(current)
        previous = current
    else:
        fail("%s: 300 Tabs did not leave the editor" % editor)
    print("%s: Tab went through %d controls and left the editor at %r" % (editor, len(forward), current[1]))
    previous, repeats = current, 0
    for step in range(1, 300):
        now, current, repeats = step_focus(editor, TAB, SHIFT, step, previous, repeats)
        if current == start:
            print("%s: Shift+Tab came back to %r after %d steps" % (editor, start[1], step))
            return forward
        previous = current
    fail("%s: 300 Shift+Tabs did not come back to %r; last %r" % (editor, start[1], previous))


def inside(page, node):
    """Whether `node` lies inside `page` (an editor's scrolled form and toolbar)."""
    px, py, pw, ph = extents(page)
    x, y, w, h = extents(node)
    return px <= x + w // 2 <= px + pw and py <= y + h // 2 <= py + ph


def first_text(editor):
    def showing_text(n):
        return n.getRoleName() in ("text", "entry") and showing(n) and n.name not in ("Søg i sager", "Gemt-status")
    page = wait_for(editor + ": a text field", lambda: find(frame, showing_text))
    return page


# The case list: Tab and Shift+Tab leave it (GTK's list would keep Tab for itself) and come back.
cases = wait_for("the case list 'Sager'", lambda: named(frame, "Sager", ("table", "tree table")))


def focus_in(area):
    now = focused(app)
    return now is not None and inside(area, now)


def press(modifier, code):
    if modifier:
        chord(modifier, code)
    else:
        key(code)
    time.sleep(0.3)


cases.queryComponent().grabFocus()
wait_for("the case list to take the focus", lambda: focus_in(cases), 5)
for away, back, away_name, back_name in ((None, SHIFT, "Tab", "Shift+Tab"), (SHIFT, None, "Shift+Tab", "Tab")):
    press(away, TAB)
    left = wait_for("%s to leave the case list (the focus is on %r)" % (away_name, identity(focused(app))),
                    lambda: (lambda n: n if n is not None and not inside(cases, n) else None)(focused(app)), 5)
    print("case list: %s went on to %r" % (away_name, identity(left)))
    press(back, TAB)
    wait_for("%s to come back to the case list" % back_name, lambda: focus_in(cases), 5)
    print("case list: %s came back" % back_name)

checked_required = False
for tab_name, editor in (("Familiefaglig…", "familiefaglig undersøgelse"), ("Familieplan", "familieplan"),
                         ("Dagsorden for…", "dagsorden")):
    select_tab(tab_name)
    shot("keyboard-" + editor.split()[0])
    check_buttons(editor)
    # The editor's page: the notebook page shown (a "page tab" whose child is showing).
    page_tab = named(frame, tab_name, ("page tab",))
    walked = tab_walk(editor, first_text(editor), page_tab.getChildAtIndex(0))
    roles = [r[0] for r in walked]
    if "table" not in roles:
        fail("%s: Tab never reached a table: %s" % (editor, walked))
    if "combo box" not in roles:
        fail("%s: no drop-down reported the focus on the way" % editor)
    print("%s: %d tables and %d drop-downs reached with Tab" % (editor, roles.count("table"), roles.count("combo box")))

    if not checked_required:
        # Required fields carry REQUIRED; help texts are the fields' descriptions.
        required, described = [], []

        def visit(n):
            if n.getRoleName() in ("text", "entry", "combo box"):
                if n.getState().contains(pyatspi.STATE_REQUIRED):
                    required.append(n.name)
                if n.description:
                    described.append(n.name)
        walk_showing(frame, visit)
        if not required:
            fail("%s: no field carries the REQUIRED state" % editor)
        if not described:
            fail("%s: no field has its help text as description" % editor)
        print("%s: required %s; described %s" % (editor, required[:3], described[:3]))
        checked_required = True

# The plan's goals: a new row, typed into, read back with the column header.
select_tab("Familieplan")
add = wait_for("the button 'Tilføj række: Mål'", lambda: named(frame, "Tilføj række: Mål", ("push button",)))
goals = wait_for("the table 'Mål'", lambda: named(frame, "Mål", ("table",)))
rows_before = goals.queryTable().nRows
add.queryAction().doAction(0)
wait_for("a new row in 'Mål'", lambda: goals.queryTable().nRows == rows_before + 1, 10)
wait_for("the table 'Mål' to take the focus", lambda: goals.getState().contains(pyatspi.STATE_FOCUSED), 5)
row = rows_before
cell = goals.queryTable().getAccessibleAt(row, 0)
cx, cy, cw, ch = extents(cell)
if cy < 0 or cy + ch > SCREEN_H or ch <= 0:
    fail("the new row is not scrolled into view: y %d, height %d" % (cy, ch))
print("new row %d in 'Mål' is in view at y %d" % (row, cy))
type_text("Mere ro om morgenen")
key(RETURN)  # a line break in a long-text cell
type_text("og i weekenden")
chord(CTRL, RETURN)  # ends the editing
text = "Mere ro om morgenen\nog i weekenden"
wait_for("the cell to hold the two lines", lambda: goals.queryTable().getAccessibleAt(row, 0).name == text, 10)
header = goals.queryTable().getColumnHeader(0).name
if header != "Mål *":
    fail("the column header of 'Mål' reads %r" % header)
if goals.queryTable().getColumnDescription(0) != "Mål *":
    fail("the column description of 'Mål' reads %r" % goals.queryTable().getColumnDescription(0))
cell = goals.queryTable().getAccessibleAt(row, 0)
headers = [h.name for h in cell.queryTableCell().columnHeaderCells]
if headers != ["Mål *"]:
    fail("the cell's column header cells are %r" % headers)
grown = extents(cell)[3]
if grown < ch * 1.5:
    fail("the edited row did not grow to its two lines: %d px, one line was %d px" % (grown, ch))
print("cell (%d,0) reads %r under the header %r; the row grew from %d to %d px" % (row, text, header, ch, grown))
shot("keyboard-table")

# Esc throws a cell's editing away and leaves the focus on the table, which Tab then leaves.
goals.queryComponent().grabFocus()
wait_for("the table 'Mål' to take the focus", lambda: goals.getState().contains(pyatspi.STATE_FOCUSED), 5)
type_text("kasseres")  # starts editing the current cell
time.sleep(0.3)
key(ESCAPE)
wait_for("Esc to give the focus back to the table 'Mål'",
         lambda: goals.getState().contains(pyatspi.STATE_FOCUSED), 5)
grid = goals.queryTable()
if any("kasseres" in grid.getAccessibleAt(r, c).name for r in range(grid.nRows) for c in range(grid.nColumns)):
    fail("Esc kept the text typed into the cell")
press(None, TAB)
wait_for("Tab to leave the table 'Mål' after Esc",
         lambda: (lambda n: n is not None and not inside(goals, n))(focused(app)), 5)
print("Esc ended the cell's editing without keeping it; Tab then left the table")


def selected_tab():
    tab = find(frame, lambda n: n.getRoleName() == "page tab" and n.getState().contains(pyatspi.STATE_SELECTED))
    return tab.name if tab is not None else None


# Ctrl+Tab and Ctrl+Shift+Tab switch tabs, also from inside a table.
goals.queryComponent().grabFocus()
wait_for("the table 'Mål' to take the focus", lambda: goals.getState().contains(pyatspi.STATE_FOCUSED), 5)
if selected_tab() != "Familieplan":
    fail("the tab 'Familieplan' is not the one shown but %r" % selected_tab())
chord(CTRL, TAB)
wait_for("Ctrl+Tab to show 'Dagsorden for…' (shown: %r)" % selected_tab(), lambda: selected_tab() == "Dagsorden for…", 5)
key(CTRL, pyatspi.KEY_PRESS)
chord(SHIFT, TAB)
key(CTRL, pyatspi.KEY_RELEASE)
wait_for("Ctrl+Shift+Tab to show 'Familieplan' again", lambda: selected_tab() == "Familieplan", 5)
print("Ctrl+Tab and Ctrl+Shift+Tab switched tabs from inside the table 'Mål'")

# Dialogs are dialogs; a message box is named by its title.
select_tab("Familieplan")
named(frame, "Færdiggør …", ("push button",)).queryAction().doAction(0)
alert = wait_for("the message 'Dokumentet kan ikke færdiggøres endnu'",
                 lambda: find(app, lambda n: n.getRoleName() in ("alert", "dialog")
                              and n.name == "Dokumentet kan ikke færdiggøres endnu"), 10)
print("message box: role %s, named %r" % (alert.getRoleName(), alert.name))
key(RETURN)
wait_for("the message to close", lambda: find(app, lambda n: n.name == "Dokumentet kan ikke færdiggøres endnu") is None, 10)
named(frame, "Vis ændringer …", ("push button",)).queryAction().doAction(0)
changes = wait_for("the dialog 'Ændringer'", lambda: find(app, lambda n: n.name == "Ændringer"
                                                       and n.getRoleName() in ("dialog", "frame")), 10)
if changes.getRoleName() != "dialog":
    fail("'Ændringer' is exposed as a %s, not a dialog" % changes.getRoleName())
shot("keyboard-changes")
key(ESCAPE)
wait_for("Esc to close 'Ændringer'", lambda: find(app, lambda n: n.name == "Ændringer"
                                                  and n.getRoleName() == "dialog") is None, 10)
print("'Ændringer' is a dialog and closes on Esc")

# Locking: the menu's "Lås" hides the cases behind the passphrase; unlocking brings them back.
item = wait_for("the menu item 'Lås'", lambda: find(app, lambda n: n.getRoleName() == "menu item" and n.name == "Lås"))
item.queryAction().doAction(0)
unlock = wait_for("the dialog 'Lås Familieplan op'", lambda: find(app, lambda n: n.getRoleName() == "dialog"
                                                                 and n.name == "Lås Familieplan op"), 15)
wait_for("the main window to hide while locked", lambda: not showing(frame), 5)
shot("keyboard-locked")
field = wait_for("the field 'Adgangskode'", lambda: find(unlock, lambda n: n.name == "Adgangskode"
                                                         and n.getRoleName() in ("text", "password text")))
field.queryEditableText().setTextContents(os.environ["FPLAN_PASSPHRASE"])
named(unlock, "Lås op", ("push button",)).queryAction().doAction(0)
wait_for("the unlock dialog to close", lambda: find(app, lambda n: n.getRoleName() == "dialog"
                                                    and n.name == "Lås Familieplan op") is None, 30)
cases = wait_for("the case list after unlocking", lambda: named(frame, "Sager", ("table", "tree table")), 15)
wait_for("the three cases in the list", lambda: cases.queryTable().nRows == 3, 10)
if named(frame, "Familieplan", ("page tab",)) is not None:
    fail("the editors are still open after locking")
print("locked from the menu; the unlock dialog asked for the passphrase; the case list is back with %d cases"
      % cases.queryTable().nRows)

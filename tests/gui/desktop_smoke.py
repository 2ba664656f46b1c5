# SPDX-License-Identifier: EUPL-1.2
# Drives fplan-desktop through AT-SPI, the way a screen reader user would: finds controls by
# their accessible names only. Run with Debian's /usr/bin/python3 (pyatspi).
import os
import sys
import time

import pyatspi

from atspi_tree import desktop_app, fail, find, new_document, wait_for  # noqa: E402 (next to this file)


def named(app, name, roles=None):
    def predicate(n):
        return n.name == name and (roles is None or n.getRoleName() in roles)
    return find(app, predicate)


def row_count(table):
    return table.queryTable().nRows


app = wait_for("the main window with the case list 'Sager'", desktop_app, 40)
cases = wait_for("the case list", lambda: named(app, "Sager", ("table", "tree table")))
if row_count(cases) != 25:
    fail("the case list shows %d rows, expected 25" % row_count(cases))
print("case list 'Sager': %d rows" % row_count(cases))

# Sorting: a mouse click on a column header (AT-SPI's "click" action on a GTK header does nothing).
def click_header(column):
    header = cases.queryTable().getColumnHeader(column)
    ext = header.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    x, y = ext.x + ext.width // 2, ext.y + ext.height // 2
    pyatspi.Registry.generateMouseEvent(x, y, "abs")
    time.sleep(0.3)
    pyatspi.Registry.generateMouseEvent(x, y, "b1c")

def first_journal():
    try:  # the rows are rebuilt while the list re-sorts; ask again later
        return cases.queryTable().getAccessibleAt(0, 1).name
    except Exception:
        return None

click_header(1)
wait_for("the list sorted by journal number", lambda: first_journal() == "27.24.00-G01-1-26", 10)
click_header(1)
wait_for("the list sorted by journal number, descending", lambda: first_journal() == "27.24.00-G01-25-26", 10)
click_header(0)
wait_for("the list sorted by name again", lambda: cases.queryTable().getAccessibleAt(0, 0).name == "Familien Andersen", 10)
print("sorting by a header click works")

search = named(app, "Søg i sager", ("text", "entry"))
if search is None:
    fail("no search field named 'Søg i sager'")
search.queryEditableText().setTextContents("Nørgaard")
wait_for("the search to narrow the list to 3 cases", lambda: row_count(cases) == 3, 10)
print("search 'Nørgaard': 3 rows")

cases.queryTable().addRowSelection(0)
wait_for("the case overview's 'Nyt dokument' button", lambda: named(app, "Nyt dokument", ("push button",)))

# "Send til familien" for the plan, a draft in a store without a CVR number: the dialog names its
# controls, shows the problems and does not let it be sent.
documents = wait_for("the overview's documents", lambda: named(app, "Dokumenter", ("table", "tree table")))
documents.queryTable().addRowSelection(0)
named(app, "Send til familien", ("push button",)).queryAction().doAction(0)
recipients = wait_for("the send dialog's 'Modtagere'", lambda: named(app, "Modtagere"))
problems = wait_for("the send dialog's problems", lambda: named(app, "Problemer", ("label",)))
problem_text = problems.queryText().getText(0, -1)
for expected in ("CVR-nummer mangler", "færdiggjort version"):
    if expected not in problem_text:
        fail("the send dialog's problems lack %r: %r" % (expected, problem_text))
send = named(app, "Send", ("push button",))
if send is None or send.getState().contains(pyatspi.STATE_SENSITIVE):
    fail("'Send' is missing or enabled although there are problems")
for name in ("Besked i notifikationen", "Forsendelser", "Prøv igen", "Udskriv til udlevering", "Luk"):
    if named(app, name) is None:
        fail("the send dialog has no control named %r" % name)
named(app, "Luk", ("push button",)).queryAction().doAction(0)
wait_for("the send dialog to close", lambda: named(app, "Modtagere") is None, 10)
print("send dialog: problems shown, 'Send' disabled")
new_document(app, "Dagsorden for opfølgningsmøde")

place = wait_for("the agenda editor's field 'Sted'", lambda: named(app, "Sted", ("text", "entry")))

# Every control a screen reader user can reach has a name (gui/accessibility.h).
INTERACTIVE = {"text", "password text", "combo box", "push button", "check box", "table", "tree table",
               "list", "spin button", "toggle button", "radio button", "entry"}
unnamed = []
def collect_unnamed(node, path, depth=0):
    if node is None or depth > 40:
        return
    try:
        role = node.getRoleName()
        if role in INTERACTIVE and not node.name:
            unnamed.append(path + " > " + role)
        for i in range(node.childCount):
            collect_unnamed(node.getChildAtIndex(i), path + " > " + (node.name or role), depth + 1)
    except Exception:
        pass
collect_unnamed(app, "fplan-desktop")
if unnamed:
    fail("controls without an accessible name:\n  " + "\n  ".join(unnamed))
print("every control in the editor has an accessible name")
place.queryEditableText().setTextContents("Rådhuset, mødelokale 2")
typed = place.queryText().getText(0, -1)
if typed != "Rådhuset, mødelokale 2":
    fail("the field 'Sted' holds %r" % typed)
# Undo and redo through the menu accelerators, as typed on the keyboard (X keycodes: 37 Control_L,
# 52 z, 29 y). Leaving the field ends an undo step, so Ctrl+Z takes back only the second edit.
def ctrl(keycode):
    pyatspi.Registry.generateKeyboardEvent(37, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(keycode, None, pyatspi.KEY_PRESSRELEASE)
    pyatspi.Registry.generateKeyboardEvent(37, None, pyatspi.KEY_RELEASE)
    time.sleep(0.5)

def focus(node, what):
    node.queryComponent().grabFocus()
    wait_for(what + " to take the focus", lambda: node.getState().contains(pyatspi.STATE_FOCUSED), 5)

focus(place, "'Sted'")
focus(search, "the search field")
focus(place, "'Sted'")
place.queryEditableText().setTextContents("Rådhuset, mødelokale 2 og 3")
ctrl(52)
if place.queryText().getText(0, -1) != "Rådhuset, mødelokale 2":
    fail("Ctrl+Z left %r in 'Sted'" % place.queryText().getText(0, -1))
ctrl(29)
if place.queryText().getText(0, -1) != "Rådhuset, mødelokale 2 og 3":
    fail("Ctrl+Y left %r in 'Sted'" % place.queryText().getText(0, -1))
ctrl(52)
print("undo and redo with Ctrl+Z / Ctrl+Y work")

# Ctrl+F in the case list goes to the search field (not GTK's own type-ahead); 41 is f.
focus(cases, "the case list")
ctrl(41)
wait_for("Ctrl+F to move the focus to the search field",
         lambda: search.getState().contains(pyatspi.STATE_FOCUSED), 5)
print("Ctrl+F in the case list focuses the search field")

# Dates are typed and shown the Danish way, whatever the system's locale (Xvfb runs in C).
when = wait_for("the date field 'Dato for næste møde'", lambda: named(app, "Dato for næste møde", ("text", "entry")))
focus(when, "'Dato for næste møde'")
when.queryEditableText().setTextContents("5.4.2026")
focus(place, "'Sted'")
wait_for("the date written out as 05.04.2026", lambda: when.queryText().getText(0, -1) == "05.04.2026", 5)
print("date field: typed 5.4.2026, shows " + when.queryText().getText(0, -1))

# The calendar (F4 opens it) takes the keys: Right moves a day, Return picks, Esc closes without
# picking. X keycodes: 70 F4, 113 Left, 114 Right, 36 Return, 9 Escape.
def calendar(*keys):
    focus(when, "'Dato for næste møde'")
    for code in (70,) + keys:
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESSRELEASE)
        time.sleep(0.6)
    return when.queryText().getText(0, -1)

if calendar(114, 36) != "06.04.2026":
    fail("F4, Right, Return in the calendar left %r (expected 06.04.2026)" % when.queryText().getText(0, -1))
if calendar(113, 36) != "05.04.2026":
    fail("F4, Left, Return in the calendar left %r (expected 05.04.2026)" % when.queryText().getText(0, -1))
if calendar(114, 9) != "05.04.2026":
    fail("Esc in the calendar picked a day: %r" % when.queryText().getText(0, -1))
focus(place, "'Sted'")
print("calendar: arrows move, Return picks, Esc closes without picking")

status = wait_for("the editor's save status", lambda: named(app, "Gemt-status"))
wait_for("the autosave", lambda: "gemt" in status.queryText().getText(0, -1) if status.queryText() else False, 10)
print("typed into 'Sted'; status: " + status.queryText().getText(0, -1))

# "Åbn PDF" renders the agenda on a worker thread into the private PDF folder.
pdf_folder = os.path.join(os.environ["XDG_RUNTIME_DIR"], "familieplan-pdf")
named(app, "Åbn PDF", ("push button",)).queryAction().doAction(0)
pdf = wait_for("a PDF in " + pdf_folder,
               lambda: [f for f in os.listdir(pdf_folder) if f.endswith(".pdf")] if os.path.isdir(pdf_folder) else None, 30)
with open(os.path.join(pdf_folder, pdf[0]), "rb") as f:
    if f.read(5) != b"%PDF-":
        fail(pdf[0] + " is not a PDF")
print("Åbn PDF wrote " + pdf[0])
# No PDF viewer here (Xvfb, no desktop): the program says so and offers to save the file.
viewer = wait_for("the message that there is no PDF viewer",
                  lambda: find(app, lambda n: "intet program til at vise PDF-filer" in (n.name or "")), 10)
if len(sys.argv) > 2 and sys.argv[2]:
    os.system("import -window root " + os.path.join(sys.argv[2], "smoke-no-pdf-viewer.png"))
if named(app, "Gem PDF-filen …", ("push button",)) is None:
    fail("the message offers no 'Gem PDF-filen …'")
named(app, "Annuller", ("push button",)).queryAction().doAction(0)
wait_for("the message to close", lambda: find(app, lambda n: "intet program til at vise PDF-filer" in (n.name or "")) is None, 10)
print("Åbn PDF without a viewer: said so, offered to save")
named(app, "Forhåndsvis", ("push button",)).queryAction().doAction(0)
wait_for("the preview window", lambda: named(app, "Forhåndsvisning"), 30)
print("Forhåndsvis opened the preview")



# The case overview: a family member added after the case was made, CPR checked on the way.
def dialog_named(title):
    return find(app, lambda n: n.getRoleName() in ("dialog", "frame", "alert") and n.name == title)

overview_tab = named(app, "Familien Nørgaard", ("page tab",))
if overview_tab is not None:
    try:  # shown as a person would see it; the buttons work from AT-SPI either way
        overview_tab.parent.querySelection().selectChild(overview_tab.getIndexInParent())
    except Exception:
        pass
add = wait_for("the button 'Tilføj familiemedlem'", lambda: named(app, "Tilføj familiemedlem", ("push button",)))
add.queryAction().doAction(0)
dialog = wait_for("the dialog 'Tilføj familiemedlem'", lambda: dialog_named("Tilføj familiemedlem"))
name = wait_for("its field 'Navn'", lambda: find(dialog, lambda n: n.name == "Navn" and n.getRoleName() in ("text", "entry")))
cpr = find(dialog, lambda n: n.name == "CPR-nummer" and n.getRoleName() in ("text", "entry"))
name.queryEditableText().setTextContents("Bo Nørgaard")
cpr.queryEditableText().setTextContents("310290-1234")
find(dialog, lambda n: n.name == "Gem" and n.getRoleName() == "push button").queryAction().doAction(0)
alert = wait_for("the message that the CPR number is invalid",
                 lambda: find(app, lambda n: "CPR-nummeret 310290-1234 er ugyldigt" in (n.name or "")
                              or (n.getRoleName() == "label" and "er ugyldigt" in (n.name or ""))), 10)
if len(sys.argv) > 2 and sys.argv[2]:
    os.system("import -window root " + os.path.join(sys.argv[2], "smoke-cpr-message.png"))
ok = wait_for("the message's OK button", lambda: named(app, "OK", ("push button",)), 10)
ok.queryAction().doAction(0)
dialog = wait_for("the dialog 'Tilføj familiemedlem' again", lambda: dialog_named("Tilføj familiemedlem"))
cpr = wait_for("its field 'CPR-nummer'", lambda: find(dialog, lambda n: n.name == "CPR-nummer" and n.getRoleName() in ("text", "entry")))
if cpr.queryText().getText(0, -1) != "310290-1234":
    fail("the dialog lost what was typed: %r" % cpr.queryText().getText(0, -1))
cpr.queryEditableText().setTextContents("020288-1235")
if len(sys.argv) > 2 and sys.argv[2]:
    os.system("import -window root " + os.path.join(sys.argv[2], "smoke-add-person.png"))
find(dialog, lambda n: n.name == "Gem" and n.getRoleName() == "push button").queryAction().doAction(0)
wait_for("Bo Nørgaard in the family list",
         lambda: find(app, lambda n: n.name == "Bo Nørgaard (barn) · CPR 020288-1235"), 10)
print("added a family member from the case overview; an invalid CPR number was refused first")

# Typed just before the program is stopped (SIGTERM, as at logout): it must still be saved.
place.queryEditableText().setTextContents("Rådhuset, mødelokale 2 (stue)")

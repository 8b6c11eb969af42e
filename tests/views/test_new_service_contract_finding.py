"""File > New, nothing filled in: the Findings dock says the contract is empty, naming
each part as the Contract dock labels it ("Nothing to report" before, issue 13/14);
filling the parts in through the form's own fields takes the finding away."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from osom_desktop.analysis.service_checks import CONTRACT_PARTS
from osom_desktop.views.main_window import MainWindow
from tests.views.test_new_service_name import answer_name, desktop  # noqa: F401 - the fixture


def new_service(qtbot, desktop) -> MainWindow:  # noqa: F811 - the fixture
    first: MainWindow = desktop.windows[0]
    seen: list = []
    answer_name(qtbot, [Qt.Key.Key_Return], seen)  # the default name, nothing else
    qtbot.keyClick(first, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File > New
    new: MainWindow = desktop.windows[1]
    qtbot.waitExposed(new)
    return new


def findings_shown(w: MainWindow) -> list[str]:
    w.findings.recheck()  # what its timer does after an edit, without the wait
    return [w.findings.list.item(i).text() for i in range(w.findings.list.count())]


def test_a_new_service_s_findings_say_its_contract_is_empty(qtbot, desktop, tmp_path: Path) -> None:  # noqa: F811
    new = new_service(qtbot, desktop)
    shown = findings_shown(new)
    assert len(shown) == 1 and "none of the contract's 9 required parts is filled in: Manager, Purpose (point 1)" in shown[0]
    assert new.findings.summary.text() == "1 finding(s)"
    # Each part named as the Contract dock labels the field ("&Manager", "4. Ho&w the service is used").
    labels = [re.sub(r"&(?=.)", "", lb.text()) for lb in new.contract.findChildren(QLabel)]
    for words, _point in CONTRACT_PARTS:
        assert any(words in text for text in labels), words


def test_typing_the_manager_in_the_contract_dock_takes_it_off_the_list(qtbot, desktop) -> None:  # noqa: F811
    new = new_service(qtbot, desktop)
    new.act_show_contract.trigger()
    new.activateWindow()
    qtbot.waitUntil(new.isActiveWindow, timeout=2000)
    new.contract.manager.setFocus()
    qtbot.waitUntil(new.contract.manager.hasFocus, timeout=2000)
    qtbot.keyClicks(new.contract.manager, "Ada Lovelace")
    qtbot.keyClick(new.contract.manager, Qt.Key.Key_Tab)  # leaving the field commits it
    qtbot.waitUntil(lambda: new.document.data.service.manager == "Ada Lovelace", timeout=5000)
    [shown] = findings_shown(new)
    assert "leaves 8 of its 9 required parts empty: Purpose (point 1)" in shown and "Manager" not in shown


def test_clicking_the_contract_finding_brings_the_contract_to_the_front(qtbot, desktop) -> None:  # noqa: F811
    """It went nowhere: the finding names no element of the map."""
    from PySide6.QtTest import QTest

    new = new_service(qtbot, desktop)
    new.act_show_findings.trigger()
    findings_shown(new)
    listing = new.findings.list
    qtbot.waitUntil(lambda: not listing.visibleRegion().isEmpty(), timeout=2000)
    assert new.contract_dock.visibleRegion().isEmpty()  # behind its tab
    rect = listing.visualItemRect(listing.item(0))
    QTest.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: not new.contract_dock.visibleRegion().isEmpty(), timeout=2000)
    assert not new.contract_dock.isHidden()


def test_the_contract_finding_puts_the_cursor_in_the_first_empty_part(qtbot, desktop) -> None:  # noqa: F811
    """It focused Name (always filled): with the manager typed in, the first part the
    finding names is Purpose, and after Purpose the user needs."""
    from PySide6.QtTest import QTest

    new = new_service(qtbot, desktop)
    new.activateWindow()
    qtbot.waitUntil(new.isActiveWindow, timeout=2000)
    new.act_show_contract.trigger()
    new.contract.manager.setFocus()
    qtbot.waitUntil(new.contract.manager.hasFocus, timeout=2000)
    qtbot.keyClicks(new.contract.manager, "Ada Lovelace")
    qtbot.keyClick(new.contract.manager, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: new.document.data.service.manager == "Ada Lovelace", timeout=5000)

    def click_finding() -> None:
        new.act_show_findings.trigger()
        findings_shown(new)
        listing = new.findings.list
        qtbot.waitUntil(lambda: not listing.visibleRegion().isEmpty(), timeout=2000)
        QTest.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton,
                         pos=listing.visualItemRect(listing.item(0)).center())

    click_finding()
    qtbot.waitUntil(new.contract.purpose.hasFocus, timeout=2000)
    qtbot.keyClicks(new.contract.purpose, "Tells people when their bins are collected")
    qtbot.keyClick(new.contract.purpose, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: new.document.data.contract.purpose != "", timeout=5000)
    click_finding()
    # The needs list is empty and shows no focus: "Add need" takes it, where a person sees it.
    qtbot.waitUntil(new.contract.add_need.hasFocus, timeout=2000)
    assert not new.contract.add_need.visibleRegion().isEmpty()  # scrolled into view

    # Everything up to Success filled in: Failure, far down the form, is shown whole
    # (it was left with its top 15 px in view, the cursor in a box nobody could see).
    new.document.update_contract(user_needs=["Know the day"], evolution_stage="product", usage="Web",
                                 expectations_success="Within a day")
    click_finding()
    failure = new.contract.failure
    qtbot.waitUntil(failure.hasFocus, timeout=2000)
    qtbot.wait(50)  # the scroll that waits for the dock's final size
    viewport = new.contract._scroll.viewport()
    top_left = failure.mapTo(viewport, failure.rect().topLeft())
    bottom_right = failure.mapTo(viewport, failure.rect().bottomRight())
    assert viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right), (top_left, bottom_right)

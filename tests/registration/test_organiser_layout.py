"""The organiser's registration pages keep the event's frame: breadcrumb, code and tab bar."""

from __future__ import annotations

import lxml.html
import pytest

from tests.conftest import login


@pytest.mark.parametrize("path", ["", "/settings", "/import"])
def test_registration_pages_keep_the_event_tab_bar(client, open_event, path):
    event = open_event()
    login(client, event.owner)
    response = client.get(f"/manage/events/{event.id}/registrations{path}")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    [tabs] = doc.xpath("//nav[contains(@class, 'event-nav')]")
    labels = [a.text_content().strip() for a in tabs.xpath(".//a")]
    assert labels[:3] == ["Tableau de bord", "Informations", "Sessions"]
    assert [a.text_content() for a in tabs.xpath(".//a[@aria-current='page']")] == ["Inscriptions"]
    assert doc.xpath("//nav[contains(@class, 'breadcrumb')]//a")[-1].text_content() == event.title
    assert event.code_display in doc.xpath("//p[@class='event-ident']")[0].text_content()
    # The registrations' own sub-tabs are still there.
    assert doc.xpath("//nav[contains(@class, 'sub-nav')]//a[text()='Réglages et questions']")


def test_the_event_tab_bar_leads_to_the_registrations(client, open_event):
    event = open_event()
    login(client, event.owner)
    doc = lxml.html.fromstring(client.get(f"/manage/events/{event.id}/rooms").get_data(as_text=True))
    [link] = doc.xpath("//nav[contains(@class, 'event-nav')]//a[text()='Inscriptions']")
    assert link.get("href") == f"/manage/events/{event.id}/registrations"
    assert link.get("aria-current") is None

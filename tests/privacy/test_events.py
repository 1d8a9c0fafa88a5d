"""Free text hidden outside the message text (payload entities, slots, metadata) never reaches storage."""
from __future__ import annotations

import yaml

from bot import settings
from bot.channels.rest import plain_unless_payload
from bot.privacy.events import ALLOWED_VALUES, redact_event, safe_payload


def never(text: str) -> str:
    raise AssertionError(f"should not need redaction: {text!r}")


def test_payloads_keep_the_intent_and_only_vocabulary_values() -> None:
    assert safe_payload("/feedback_helpful") == "/feedback_helpful"
    assert safe_payload('/inform{"care_status":"in_care"}') == '/inform{"care_status":"in_care"}'
    assert safe_payload('/inform{"practitioner_role":"Jayden Smith"}') == "/inform"
    assert safe_payload('/inform{"name":"Jayden"}') == "/inform"
    assert safe_payload("/ Jayden Smith DOB 12/03/2011") == "/[REDACTED]"
    assert safe_payload("/inform{not json}") == "/inform"


def test_user_event_entities_and_metadata_are_cleaned() -> None:
    event = {
        "event": "user", "text": '/inform{"practitioner_role":"Jayden Smith"}', "metadata": {"name": "Jane"},
        "parse_data": {"intent": {"name": "inform"}, "metadata": {"email": "jane@x.gov.uk"},
                       "entities": [{"entity": "practitioner_role", "value": "Jayden Smith"},
                                    {"entity": "care_status", "value": "in_care"}]},
    }
    safe = redact_event(event, never)
    assert safe["text"] == "/inform" and safe["metadata"] == {} and "metadata" not in safe["parse_data"]
    assert [e["value"] for e in safe["parse_data"]["entities"]] == ["[REDACTED]", "in_care"]
    assert "Jayden" not in str(safe) and "jane" not in str(safe).lower()


def test_slot_values_outside_the_vocabulary_and_session_metadata_are_dropped() -> None:
    assert redact_event({"event": "slot", "name": "practitioner_role", "value": "Jayden"}, never)["value"] is None
    assert redact_event({"event": "slot", "name": "practitioner_role", "value": "police"}, never)["value"] == "police"
    metadata = {"event": "slot", "name": "session_started_metadata", "value": {"user": "Jane Doe"}}
    assert redact_event(metadata, never)["value"] is None


def test_allowed_values_are_the_domain_slot_values() -> None:
    slots = yaml.safe_load(settings.DOMAIN_FILE.read_text(encoding="utf-8"))["slots"]
    for name in ("practitioner_role", "care_status"):
        assert ALLOWED_VALUES[name] == set(slots[name]["values"])


def test_text_that_only_looks_like_a_payload_is_read_as_text() -> None:
    assert plain_unless_payload("/ Jayden Smith DOB 12/03/2011") == "Jayden Smith DOB 12/03/2011"
    assert plain_unless_payload("/inform{bad json}") == "inform{bad json}"
    assert plain_unless_payload('/inform{"care_status":"in_care"}') == '/inform{"care_status":"in_care"}'
    assert plain_unless_payload("/start_missing_walkthrough") == "/start_missing_walkthrough"
    assert plain_unless_payload("who do I tell") == "who do I tell"

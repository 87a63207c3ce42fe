"""A JSON column's decoder: kept per text for the whole process, so never stale and never unbounded."""

import pytest
from pydantic import TypeAdapter, ValidationError

from cohorts.tablets.schemas import PLAIN_ACCESSORIES
from digiystava.schemas import JsonColumn


def test_a_changed_text_is_decoded_anew_and_the_same_text_is_decoded_once():
    calls = []

    class Counting(TypeAdapter):
        def validate_json(self, text, **kwargs):
            calls.append(text)
            return super().validate_json(text, **kwargs)

    column = JsonColumn(Counting(dict[str, bool]))
    first = column('{"charger": true}')
    assert column('{"charger": true}') is first
    assert column('{"charger": false}') == {"charger": False}
    assert column(None) is None
    assert calls == ['{"charger": true}', '{"charger": false}']


def test_the_kept_texts_are_bounded():
    column = JsonColumn(TypeAdapter(int), max_entries=3)
    for number in range(10):
        assert column(str(number)) == number
    assert len(column._decoded) <= 3


def test_a_text_the_schema_refuses_is_refused_every_time():
    with pytest.raises(ValidationError):
        PLAIN_ACCESSORIES('{"charger": "perhaps"}')
    with pytest.raises(ValidationError):
        PLAIN_ACCESSORIES('{"charger": "perhaps"}')


def test_tablets_and_loans_share_one_accessories_decoder():
    from cohorts.tablets import loans, services

    assert loans.PLAIN_ACCESSORIES is services.PLAIN_ACCESSORIES is PLAIN_ACCESSORIES


def test_plain_values_are_the_models_json():
    """Defaults filled in, as the model would give them: the answer does not depend on how old the row is."""
    assert PLAIN_ACCESSORIES('{"charger": true}') == {
        "charger": True,
        "cable": False,
        "case": False,
        "stylus": False,
        "headphones": False,
        "sim_card": False,
        "sim_number": "",
        "data_plan": "",
    }

"""Nuxt 2 page state written as a function call is read as data, never run."""

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract
from tui_tracker.extractors.jsstate import iife_states

NUXT2 = ('window.__NUXT__=(function(a,b,c,d){return {layout:"default",data:[{product:'
         '{id:a,name:"Ullfilt \\u002F Grå",price:b,compareAtPrice:c,currency:"SEK",'
         "available:!0,tags:[d,'ny'],gone:void 0}}],fetch:{},error:null}}"
         '(4711,1299,1699,"vinter"));')


def test_iife_state_becomes_plain_data() -> None:
    [(name, value)] = list(iife_states(NUXT2))
    product = value["data"][0]["product"]
    assert name == "__NUXT__"
    assert product == {"id": 4711, "name": "Ullfilt / Grå", "price": 1299,
                       "compareAtPrice": 1699, "currency": "SEK", "available": True,
                       "tags": ["vinter", "ny"], "gone": None}


@pytest.mark.parametrize("code", [
    'window.__NUXT__=(function(a){return {x:alert(a)}}(1));',   # a call: not data
    'window.__NUXT__=(function(a){return {x:new Date(a)}}(1));',
    'window.__NUXT__=(function(a){return {x:"unterminated}}(1));',
])
def test_code_that_is_not_data_is_refused(code: str) -> None:
    assert list(iife_states(code)) == []


def test_price_from_nuxt2_state_when_the_dom_shows_none() -> None:
    html = ('<html lang="sv-SE"><head><title>Ullfilt / Grå – Nordhem</title></head><body>'
            '<div id="__nuxt"><h1>Ullfilt / Grå</h1><div class="price"></div></div>'
            f"<script>{NUXT2}</script></body></html>")
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (1299.0, "SEK")
    assert (result.source, result.in_stock) == ("page-json", True)

"""Every file a user downloads is answered one way: typed by its name, saved under it."""

import io

import pytest
from django.http import Http404

from beacon.core.downloads import attachment, table_attachment
from beacon.core.views.generic import views_for
from beacon.registry.models import Park


def test_a_file_is_typed_by_its_name_and_saved_under_it():
    pdf = attachment(b"%PDF-1.4", "scorecard-2024.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="scorecard-2024.pdf"'
    # a Chinese name reaches the browser intact (RFC 6266), not as question marks
    word = attachment(b"PK", "督办清单.docx")
    assert word["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%9D%A3%E5%8A%9E%E6%B8%85%E5%8D%95.docx"
    )
    assert word["Content-Type"].endswith("wordprocessingml.document")
    assert attachment("a: 1\n", "rules-v2.yaml")["Content-Type"] == (
        "application/yaml; charset=utf-8"
    )


def test_an_open_file_is_streamed():
    response = attachment(io.BytesIO(b"contract"), "合同.pdf")
    assert b"".join(response.streaming_content) == b"contract"
    assert "attachment" in response["Content-Disposition"]


def test_a_table_is_csv_or_xlsx_with_formulas_escaped():
    csv = table_attachment("csv", ["name"], [["=1+1"]], "parks")
    assert csv["Content-Disposition"] == 'attachment; filename="parks.csv"'
    assert csv.content.decode("utf-8-sig").splitlines() == ["name", "'=1+1"]
    assert table_attachment("xlsx", ["name"], [], "parks").content[:2] == b"PK"
    with pytest.raises(Http404):
        table_attachment("pdf", ["name"], [], "parks")


def test_a_model_gets_exactly_the_pages_it_names():
    pages = views_for(Park, pages=("list", "detail"), detail=object)
    assert list(pages) == ["list", "detail"] and pages["detail"] is object
    with pytest.raises(ValueError, match="no such page"):
        views_for(Park, pages=("list",), detail=object)
    with pytest.raises(ValueError, match="no such page"):
        views_for(Park, pages=("list", "print"))

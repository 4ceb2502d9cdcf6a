"""The indicator values of a graph as CSV, one row per observation, for pandas and spreadsheets.

Columns: organisation (its label), year, indicator (the measure's skos:notation, e.g.
employment_rate), value, unit, report (file name), evidence (the sentence), start and end (the
sentence's character offsets in the report). Rows are sorted, so the same graph gives the same
bytes.
"""

from __future__ import annotations

import io

from kg.query import KnowledgeBase, write_result

COLUMNS = ("organisation", "year", "indicator", "value", "unit", "report", "evidence", "start", "end")

OBSERVATIONS = """
PREFIX kg: <https://w3id.org/vetkg/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?organisation ?year ?indicator ?value ?unit ?report ?evidence ?start ?end
WHERE {
  ?o a qb:Observation ;
     kg:organisation ?org ;
     qb:measureType ?measure ;
     ?measure ?value ;
     kg:ref_year ?year ;
     kg:unit ?unit ;
     kg:evidence ?evidence ;
     kg:start_offset ?start ;
     kg:end_offset ?end ;
     prov:wasDerivedFrom ?r .
  ?measure skos:notation ?indicator .
  ?org rdfs:label ?organisation .
  ?r kg:file_name ?report .
}
ORDER BY ?organisation ?year ?indicator ?report ?start ?value
"""


def observations_csv(kb: KnowledgeBase) -> str:
    """Every observation of the graph as CSV with a header row (only the header if none)."""
    out = io.StringIO()
    write_result(kb.query(OBSERVATIONS), "csv", out)
    return out.getvalue()

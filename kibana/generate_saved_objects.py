#!/usr/bin/env python3
"""Writes kibana/hepstack.ndjson: hepstack's Kibana 8.x saved objects (data views, saved
searches, Lens panels, one map and six dashboards), in Kibana's own export format.

The ndjson is the artefact (it is what users import and what the tests check); this script is
only how it is kept consistent. Edit the definitions below, run `python3 generate_saved_objects.py`
from this folder, and run the collector's Kibana tests (they read every panel back from the ndjson
and prove its numbers against a real Elasticsearch).

Format notes (Kibana 8.19): objects carry `coreMigrationVersion` and a `typeMigrationVersion` no
newer than the version whose shape they use, so Kibana migrates them on import; Lens panels are
saved `lens` objects that dashboards embed by reference (`panelRefName` + `<panel>:panel_<panel>`
references); options-list controls name their data view by the reference
`controlGroup_<id>:optionsListDataView`; the last line is Kibana's export summary.
"""
import json
import os

CORE = "8.8.0"
# the Kibana version whose panel state the dashboards' panels are written in (Kibana migrates newer)
PANEL_VERSION = "8.15.0"
LAYER = "layer1"

# ---------------------------------------------------------------------------------------------
# data views

def template_families():
    """Every index family with a component template (index-templates/component/hep-FAMILY.json): a
    protocol added with its template gets its data view without an edit here. The first five keep
    their historical order."""
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.join(here, "..", "index-templates", "component")
    found = sorted(f[len("hep-"):-len(".json")] for f in os.listdir(folder)
                   if f.startswith("hep-") and f.endswith(".json")
                   # not the audit trail (for admins: GET /api/v1/audit) nor the dead letters (documents
                   # Elasticsearch refused, kept raw for an operator), the families of TemplateInstaller.FAMILIES
                   and f not in ("hep-settings.json", "hep-base.json", "hep-audit.json", "hep-deadletter.json"))
    first = [f for f in ("sip", "rtcp", "log", "tdr", "alert") if f in found]
    return first + [f for f in found if f not in first]


def template_description(family):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "index-templates", "component", f"hep-{family}.json"), encoding="utf-8") as f:
        return json.load(f).get("_meta", {}).get("description", family)


FAMILIES = template_families()
DV = {f: f"hepstack-dv-{f}" for f in FAMILIES}

SECONDS = {"id": "duration", "params": {"inputFormat": "seconds", "outputFormat": "humanizePrecise",
                                        "outputPrecision": 0, "useShortSuffix": True,
                                        "includeSpaceWithSuffix": True}}
MILLIS = {"id": "duration", "params": {"inputFormat": "milliseconds", "outputFormat": "humanizePrecise",
                                       "outputPrecision": 2, "useShortSuffix": True,
                                       "includeSpaceWithSuffix": True}}
COST = {"id": "number", "params": {"pattern": "0,0.0000"}}
MOS = {"id": "number", "params": {"pattern": "0.00"}}
ONE_DECIMAL = {"id": "number", "params": {"pattern": "0,0.0"}}
TWO_DECIMALS = {"id": "number", "params": {"pattern": "0,0.00"}}

QOS_LEG_FORMATS = {}
for leg in ("a_leg", "b_leg"):
    for f in ("mos", "mos_min", "mos_avg"):
        QOS_LEG_FORMATS[f"qos.{leg}.{f}"] = MOS
    for f in ("jitter_ms", "jitter_ms_max", "rtt_ms", "rtt_ms_max"):
        QOS_LEG_FORMATS[f"qos.{leg}.{f}"] = ONE_DECIMAL
    QOS_LEG_FORMATS[f"qos.{leg}.loss_pct"] = TWO_DECIMALS

FORMATS = {
    "sip": {},
    "rtcp": {"qos.mos": MOS, "qos.jitter_ms": ONE_DECIMAL, "qos.loss_pct": TWO_DECIMALS,
             "qos.rtt_ms": ONE_DECIMAL, "rtcp.xr.mos_lq": MOS, "rtcp.xr.mos_cq": MOS},
    "log": {},
    "tdr": {"tdr.duration_s": SECONDS, "tdr.total_s": SECONDS, "rating.billed_s": SECONDS,
            "tdr.setup_ms": MILLIS, "tdr.first_response_ms": MILLIS, "tdr.answer_ms": MILLIS,
            "rating.cost": COST, "rating.rate": COST, "rating.connect_fee": COST,
            "qos.mos": MOS, **QOS_LEG_FORMATS},
    "alert": {},
}
NAMES = {
    "sip": "hep-sip (SIP messages)",
    "rtcp": "hep-rtcp (RTCP and QoS reports)",
    "log": "hep-log (logs and other HEP events)",
    "tdr": "hep-tdr (calls, registrations, transactions)",
    "alert": "hep-alert (fraud and security alerts)",
}


def js(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False)


def data_view(family):
    return {
        "attributes": {
            "fieldAttrs": "{}",
            "fieldFormatMap": js(FORMATS.get(family, {})),
            "fields": "[]",
            "name": NAMES.get(family, f"hep-{family} ({template_description(family)})"),
            "runtimeFieldMap": "{}",
            "sourceFilters": "[]",
            "timeFieldName": "@timestamp",
            "title": f"hep-{family}-*",
            "typeMeta": "{}",
        },
        "coreMigrationVersion": CORE,
        "id": DV[family],
        "managed": False,
        "references": [],
        "type": "index-pattern",
        "typeMigrationVersion": "8.0.0",
    }


# ---------------------------------------------------------------------------------------------
# saved searches

def saved_search(id_, title, description, family, query, columns, sort):
    source = {"query": {"query": query, "language": "kuery"}, "highlightAll": True, "filter": [],
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    return {
        "attributes": {
            "columns": columns,
            "description": description,
            "grid": {},
            "hideChart": False,
            "isTextBasedQuery": False,
            "kibanaSavedObjectMeta": {"searchSourceJSON": js(source)},
            "sort": sort,
            "title": title,
        },
        "coreMigrationVersion": CORE,
        "id": id_,
        "managed": False,
        "references": [{"id": DV[family], "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
                        "type": "index-pattern"}],
        "type": "search",
        "typeMigrationVersion": "8.0.0",
    }


# ---------------------------------------------------------------------------------------------
# KQL used by the panels (README.md explains each definition)

CALLS = 'tdr.type : "call"'
ATTEMPTS = 'tdr.type : "call" and (tdr.final : true or tdr.status : "ANSWERED")'
ANSWERED = 'tdr.status : ("FINISHED" or "ANSWERED")'
NER_OUTCOMES = 'tdr.status : ("FINISHED" or "ANSWERED" or "USER_BUSY" or "DECLINE" or "CANCELED")'
RATED_CALLS = 'tdr.type : "call" and rating.cost : *'
MOS_CALLS = 'tdr.type : "call" and qos.mos : *'
FINISHED_CALLS = 'tdr.type : "call" and tdr.status : "FINISHED"'
HIGH_RISK_REGIONS = ["CU", "SO", "SL", "GN", "GW", "LR", "ER", "TV", "NR", "KI", "SB", "CK", "001"]
HIGH_RISK = 'tdr.type : "call" and tdr.callee.number.region_code : (' + " or ".join(
    f'"{r}"' for r in HIGH_RISK_REGIONS) + ")"
REQUESTS = 'sip.method : *'  # lean documents have no sip.type: a request has a method
RESPONSES = 'sip.code : *'  # and a response a code
INVITES = 'sip.method : "INVITE"'
REGISTER_RESPONSES = 'sip.code : * and sip.cseq.method : "REGISTER"'
REG_OK = "sip.code >= 200 and sip.code < 300"
REG_CHALLENGED = "sip.code : (401 or 407)"
REG_FAILED = "sip.code >= 300 and not sip.code : (401 or 407)"
SCANNER_AGENTS = ["*friendly-scanner*", "*sipvicious*", "*SIPVicious*", "*sipcli*", "*sundayddr*",
                  "*VaxSIPUserAgent*", "*iWar*", "*SIPScan*", "*sip-scan*"]
SCANNERS = "sip.user_agent.original : (" + " or ".join(SCANNER_AGENTS) + ")"
BLACKLISTED = "source.blacklist.hit : true"

# ---------------------------------------------------------------------------------------------
# Lens columns


def count(label, kql=None):
    c = {"label": label, "dataType": "number", "operationType": "count", "isBucketed": False,
         "scale": "ratio", "sourceField": "___records___", "params": {"emptyAsNull": True},
         "customLabel": True}
    if kql:
        c["filter"] = {"language": "kuery", "query": kql}
    return c


def metric(op, field, label, fmt=None):
    c = {"label": label, "dataType": "number", "operationType": op, "isBucketed": False,
         "scale": "ratio", "sourceField": field, "params": {"emptyAsNull": True}, "customLabel": True}
    if fmt:
        c["params"]["format"] = fmt
    return c


def unique_count(field, label):
    return {"label": label, "dataType": "number", "operationType": "unique_count", "isBucketed": False,
            "scale": "ratio", "sourceField": field, "params": {"emptyAsNull": True}, "customLabel": True}


def terms(field, label, order_by=None, size=10, data_type="string", direction="desc"):
    order = {"type": "column", "columnId": order_by} if order_by else {"type": "alphabetical", "fallback": False}
    return {"label": label, "dataType": data_type, "operationType": "terms", "isBucketed": True,
            "scale": "ordinal", "sourceField": field, "customLabel": True,
            "params": {"size": size, "orderBy": order, "orderDirection": direction if order_by else "asc",
                       "otherBucket": False, "missingBucket": False, "parentFormat": {"id": "terms"},
                       "include": [], "exclude": [], "includeIsRegex": False, "excludeIsRegex": False}}


def date_histogram():
    return {"label": "@timestamp", "dataType": "date", "operationType": "date_histogram",
            "isBucketed": True, "scale": "interval", "sourceField": "@timestamp",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def filters(label, pairs):
    return {"label": label, "dataType": "string", "operationType": "filters", "isBucketed": True,
            "scale": "ordinal", "customLabel": True,
            "params": {"filters": [{"input": {"query": q, "language": "kuery"}, "label": l} for l, q in pairs]}}


def ranges(field, label, bands):
    return {"label": label, "dataType": "string", "operationType": "range", "isBucketed": True,
            "scale": "ordinal", "sourceField": field, "customLabel": True,
            "params": {"type": "range", "maxBars": "auto", "includeEmptyRows": True,
                       "ranges": [{"from": f, "to": t, "label": l} for l, f, t in bands],
                       "parentFormat": {"id": "range", "params": {"template": "arrow_right",
                                                                   "replaceInfinity": True}}}}


def ratio_formula(col, label, numerator_kql):
    """A Lens formula `count(kql='...') / count()` stored the way Lens stores formulas: the formula
    column plus its generated parts (two counts and the math that divides them)."""
    text = f"count(kql='{numerator_kql}') / count()"
    part = f"Part of {label}"
    return {
        f"{col}X0": {"label": part, "dataType": "number", "operationType": "count", "isBucketed": False,
                     "scale": "ratio", "sourceField": "___records___", "params": {"emptyAsNull": False},
                     "customLabel": True, "filter": {"language": "kuery", "query": numerator_kql}},
        f"{col}X1": {"label": part, "dataType": "number", "operationType": "count", "isBucketed": False,
                     "scale": "ratio", "sourceField": "___records___", "params": {"emptyAsNull": False},
                     "customLabel": True},
        f"{col}X2": {"label": part, "dataType": "number", "operationType": "math", "isBucketed": False,
                     "scale": "ratio", "customLabel": True, "references": [f"{col}X0", f"{col}X1"],
                     "params": {"tinymathAst": {"type": "function", "name": "divide",
                                                "args": [f"{col}X0", f"{col}X1"],
                                                "location": {"min": 0, "max": len(text)}, "text": text}}},
        col: {"label": label, "dataType": "number", "operationType": "formula", "isBucketed": False,
              "scale": "ratio", "customLabel": True, "references": [f"{col}X2"],
              "params": {"formula": text, "isFormulaBroken": False,
                         "format": {"id": "percent", "params": {"decimals": 1}}}},
    }


# ---------------------------------------------------------------------------------------------
# Lens visualizations

def lens(id_, title, family, vis_type, columns, order, visualization, query="", description=""):
    state = {
        "adHocDataViews": {},
        "datasourceStates": {"formBased": {"layers": {LAYER: {
            "columnOrder": order, "columns": columns, "incompleteColumns": {}, "sampling": 1}}}},
        "filters": [],
        "internalReferences": [],
        "query": {"language": "kuery", "query": query},
        "visualization": visualization,
    }
    return {
        "attributes": {"description": description, "state": state, "title": title,
                       "visualizationType": vis_type},
        "coreMigrationVersion": CORE,
        "id": id_,
        "managed": False,
        "references": [{"id": DV[family], "name": f"indexpattern-datasource-layer-{LAYER}",
                        "type": "index-pattern"}],
        "type": "lens",
        "typeMigrationVersion": "8.9.0",
    }


def metric_panel(id_, title, family, column, query, description=""):
    return lens(id_, title, family, "lnsMetric", {"m": column}, ["m"],
                {"layerId": LAYER, "layerType": "data", "metricAccessor": "m"}, query, description)


def formula_panel(id_, title, family, label, numerator, query, description):
    cols = ratio_formula("m", label, numerator)
    return lens(id_, title, family, "lnsMetric", cols, ["mX0", "mX1", "mX2", "m"],
                {"layerId": LAYER, "layerType": "data", "metricAccessor": "m"}, query, description)


def xy_state(series, x, accessors, split=None, position="right"):
    layer = {"layerId": LAYER, "layerType": "data", "seriesType": series, "xAccessor": x,
             "accessors": accessors}
    if split:
        layer["splitAccessor"] = split
    return {"legend": {"isVisible": True, "position": position}, "valueLabels": "hide",
            "fittingFunction": "None", "preferredSeriesType": series,
            "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True},
            "tickLabelsVisibilitySettings": {"x": True, "yLeft": True, "yRight": True},
            "gridlinesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True},
            "layers": [layer]}


def over_time(id_, title, family, series, metrics, split=None, query="", description=""):
    """Date histogram on x; `metrics` is a list of (column id, column); `split` a breakdown column."""
    cols = {"x": date_histogram()}
    order = []
    if split:
        cols["s"] = split
        order.append("s")
    order.append("x")
    for cid, c in metrics:
        cols[cid] = c
        order.append(cid)
    return lens(id_, title, family, "lnsXY", cols, order,
                xy_state(series, "x", [cid for cid, _ in metrics], "s" if split else None),
                query, description)


def top_bars(id_, title, family, field, label, value, query="", size=10, data_type="string", description=""):
    cols = {"t": terms(field, label, "v", size, data_type), "v": value}
    return lens(id_, title, family, "lnsXY", cols, ["t", "v"],
                xy_state("bar_horizontal", "t", ["v"]), query, description)


def table(id_, title, family, rows, metrics, query="", description=""):
    cols = dict(rows + metrics)
    order = [c for c, _ in rows] + [c for c, _ in metrics]
    vis = {"layerId": LAYER, "layerType": "data", "rowHeight": "single", "rowHeightLines": 1,
           "columns": [{"columnId": c, "isTransposed": False} for c in order]}
    return lens(id_, title, family, "lnsDatatable", cols, order, vis, query, description)


def donut(id_, title, family, group, value, query="", description=""):
    cols = {"g": group, "v": value}
    vis = {"shape": "donut", "layers": [{"layerId": LAYER, "layerType": "data", "primaryGroups": ["g"],
                                          "metrics": ["v"], "numberDisplay": "percent",
                                          "categoryDisplay": "default", "legendDisplay": "default",
                                          "nestedLegend": False}]}
    return lens(id_, title, family, "lnsPie", cols, ["g", "v"], vis, query, description)


def bars(id_, title, family, bucket, value, query="", description=""):
    cols = {"b": bucket, "v": value}
    return lens(id_, title, family, "lnsXY", cols, ["b", "v"], xy_state("bar", "b", ["v"]), query, description)


# ---------------------------------------------------------------------------------------------
# the map (Maps app): where INVITEs went, by destination IP geolocation

def destinations_map():
    grid_style = {
        "type": "VECTOR",
        "properties": {
            "icon": {"type": "STATIC", "options": {"value": "marker"}},
            "fillColor": {"type": "STATIC", "options": {"color": "#D36086"}},
            "lineColor": {"type": "STATIC", "options": {"color": "#FFFFFF"}},
            "lineWidth": {"type": "STATIC", "options": {"size": 1}},
            "iconSize": {"type": "DYNAMIC", "options": {"field": {"origin": "source", "name": "doc_count"},
                                                        "minSize": 6, "maxSize": 32,
                                                        "fieldMetaOptions": {"isEnabled": True, "sigma": 3}}},
            "iconOrientation": {"type": "STATIC", "options": {"orientation": 0}},
            "labelText": {"type": "DYNAMIC", "options": {"field": {"origin": "source", "name": "doc_count"}}},
            "labelColor": {"type": "STATIC", "options": {"color": "#000000"}},
            "labelSize": {"type": "STATIC", "options": {"size": 14}},
            "labelBorderColor": {"type": "STATIC", "options": {"color": "#FFFFFF"}},
            "symbolizeAs": {"options": {"value": "circle"}},
            "labelBorderSize": {"options": {"size": "SMALL"}},
        },
        "isTimeAware": True,
    }
    layers = [
        {"id": "basemap", "alpha": 1, "sourceDescriptor": {"type": "EMS_TMS", "isAutoSelect": True},
         "visible": True, "style": {}, "type": "VECTOR_TILE", "minZoom": 0, "maxZoom": 24},
        # calls, not INVITE messages: the TDR carries the call's geolocation (lean message documents
        # keep only country codes) and a call counts once however many INVITEs it took
        {"id": "invite-destinations", "label": "Call destinations", "minZoom": 0, "maxZoom": 24,
         "alpha": 0.85, "visible": True,
         "query": {"query": CALLS, "language": "kuery"},
         "sourceDescriptor": {"type": "ES_GEO_GRID", "id": "hepstack-invite-destinations",
                              "geoField": "destination.geo.location", "requestType": "point",
                              "resolution": "COARSE", "metrics": [{"type": "count", "label": "calls"}],
                              "applyGlobalQuery": True, "applyGlobalTime": True,
                              "indexPatternRefName": "layer_1_source_index_pattern"},
         "style": grid_style, "type": "VECTOR"},
    ]
    state = {"zoom": 1.6, "center": {"lon": 10.0, "lat": 30.0},
             "timeFilters": {"from": "now-24h", "to": "now"},
             "refreshConfig": {"isPaused": True, "interval": 0},
             "query": {"query": "", "language": "kuery"}, "filters": [],
             "settings": {"autoFitToDataBounds": False, "initialLocation": "LAST_SAVED_LOCATION",
                          "fixedLocation": {"lat": 0, "lon": 0, "zoom": 2}, "browserLocation": {"zoom": 2},
                          "maxZoom": 24, "minZoom": 0, "showSpatialFilters": True,
                          "showTimesliderToggleButton": True, "hideToolbarOverlay": False,
                          "hideLayerControl": False, "hideViewControl": False}}
    return {
        "attributes": {"description": "Where calls went: the destination IP geolocation (GeoIP) of "
                                      "each call's TDR, clustered; the label is the number of calls.",
                       "layerListJSON": js(layers), "mapStateJSON": js(state),
                       "title": "hepstack · Call destinations (map)",
                       "uiStateJSON": js({"isLayerTOCOpen": False, "openTOCDetails": []})},
        "coreMigrationVersion": CORE,
        "id": "hepstack-map-invite-destinations",
        "managed": False,
        "references": [{"id": DV["tdr"], "name": "layer_1_source_index_pattern", "type": "index-pattern"}],
        "type": "map",
        "typeMigrationVersion": "7.14.0",
    }


# ---------------------------------------------------------------------------------------------
# dashboards

class Dashboard:
    """Lays panels out on Kibana's 48-column grid, left to right, wrapping rows."""

    def __init__(self, id_, title, description, controls, time_from="now-24h"):
        self.id, self.title, self.description = id_, title, description
        self.controls, self.time_from = controls, time_from
        self.panels, self.references = [], []
        self.x = self.y = self.row_h = 0

    def add(self, obj_type, obj_id, w, h, hide_title=False):
        if self.x + w > 48:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pid = f"p{len(self.panels) + 1}"
        config = {"enhancements": {}}
        if hide_title:
            config["hidePanelTitles"] = True
        if obj_type == "map":
            config.update({"isLayerTOCOpen": False, "hiddenLayers": [], "openTOCDetails": [],
                           "mapCenter": {"lat": 30.0, "lon": 10.0, "zoom": 1.6}})
        self.panels.append({"version": PANEL_VERSION, "type": obj_type, "gridData": {"x": self.x, "y": self.y, "w": w, "h": h, "i": pid},
                            "panelIndex": pid, "embeddableConfig": config, "panelRefName": f"panel_{pid}"})
        self.references.append({"id": obj_id, "name": f"{pid}:panel_{pid}", "type": obj_type})
        self.x += w
        self.row_h = max(self.row_h, h)
        return self

    def saved_object(self):
        controls, refs = {}, list(self.references)
        for i, (family, field, title) in enumerate(self.controls):
            cid = f"{self.id}-control-{i + 1}"
            controls[cid] = {"order": i, "width": "medium", "grow": True, "type": "optionsListControl",
                             "explicitInput": {"id": cid, "fieldName": field, "title": title,
                                               "searchTechnique": "prefix", "selectedOptions": [],
                                               "enhancements": {}}}
            refs.append({"id": DV[family], "name": f"controlGroup_{cid}:optionsListDataView",
                         "type": "index-pattern"})
        return {
            "attributes": {
                "controlGroupInput": {
                    "chainingSystem": "HIERARCHICAL", "controlStyle": "oneLine", "showApplySelections": False,
                    "ignoreParentSettingsJSON": js({"ignoreFilters": False, "ignoreQuery": False,
                                                    "ignoreTimerange": False, "ignoreValidations": False}),
                    "panelsJSON": js(controls)},
                "description": self.description,
                "kibanaSavedObjectMeta": {"searchSourceJSON": js({"query": {"query": "", "language": "kuery"},
                                                                  "filter": []})},
                "optionsJSON": js({"useMargins": True, "syncColors": False, "syncCursor": True,
                                   "syncTooltips": False, "hidePanelTitles": False}),
                "panelsJSON": js(self.panels),
                "refreshInterval": {"pause": False, "value": 60000},
                "timeFrom": self.time_from,
                "timeRestore": True,
                "timeTo": "now",
                "title": self.title,
                "version": 1,
            },
            "coreMigrationVersion": CORE,
            "id": self.id,
            "managed": False,
            "references": refs,
            "type": "dashboard",
            "typeMigrationVersion": "10.2.0",
        }


def build():
    objects = [data_view(f) for f in FAMILIES]

    searches = [
        saved_search("hepstack-search-sip-messages", "hepstack · SIP messages",
                     "Every SIP message, newest first.", "sip", "",
                     ["sip.method", "sip.cseq.method", "sip.code", "sip.status", "source.ip", "destination.ip",
                      "sip.from.uri.username", "sip.to.uri.username", "sip.to.uri.host", "sip.call_id",
                      "sip.user_agent.original", "hep.node"], [["@timestamp", "desc"]]),
        saved_search("hepstack-search-tdr-list", "hepstack · Calls (TDR list)",
                     "One row per call, newest first: outcome, parties, PDD, billable seconds, MOS, cost.",
                     "tdr", CALLS,
                     ["tdr.status", "tdr.final_code", "tdr.caller.user", "tdr.callee.user",
                      "tdr.callee.number.region_code", "tdr.setup_ms", "tdr.duration_s", "qos.mos",
                      "rating.cost", "rating.currency", "rating.destination", "hep.node", "hep.group",
                      "tdr.call_id"], [["@timestamp", "desc"]]),
        saved_search("hepstack-search-worst-calls", "hepstack · Worst calls (lowest MOS first)",
                     "Calls with a voice quality measurement, worst MOS (of both legs) first.",
                     "tdr", MOS_CALLS,
                     ["qos.mos", "qos.a_leg.mos", "qos.b_leg.mos", "qos.a_leg.jitter_ms", "qos.b_leg.jitter_ms",
                      "qos.a_leg.loss_pct", "qos.b_leg.loss_pct", "tdr.caller.user", "tdr.callee.user",
                      "tdr.duration_s", "hep.group", "hep.node", "tdr.call_id"],
                     [["qos.mos", "asc"], ["@timestamp", "desc"]]),
        saved_search("hepstack-search-alerts", "hepstack · Alerts",
                     "Fraud and security alerts, newest first.", "alert", "",
                     ["alert.severity", "alert.rule", "alert.user", "alert.source_ip", "alert.called_number",
                      "alert.value", "alert.threshold", "alert.message"], [["@timestamp", "desc"]]),
        saved_search("hepstack-search-logs", "hepstack · Logs and events",
                     "LOG/XLOG/REST/JSON events sent over HEP, newest first.", "log", "",
                     ["log.level", "host.name", "process.name", "call.id", "message", "hep.node"],
                     [["@timestamp", "desc"]]),
    ]
    objects += searches

    L = []
    # -- calls overview (TDR) ------------------------------------------------------------------
    L += [
        metric_panel("hepstack-lens-cdr-count", "CDRs", "tdr", count("CDRs"), CALLS,
                     "Call TDRs in the time range, including calls still ringing or in progress."),
        metric_panel("hepstack-lens-cost-total", "Total cost", "tdr", metric("sum", "rating.cost", "Total cost"),
                     CALLS, "Sum of rating.cost over rated calls (one currency per rate table)."),
        metric_panel("hepstack-lens-cost-max", "Highest call cost", "tdr",
                     metric("max", "rating.cost", "Highest cost"), CALLS),
        metric_panel("hepstack-lens-cost-avg", "Average call cost", "tdr",
                     metric("average", "rating.cost", "Average cost"), CALLS,
                     "Average rating.cost of the calls that were rated."),
        formula_panel("hepstack-lens-asr", "ASR", "tdr", "ASR", ANSWERED, ATTEMPTS,
                      "Answer-seizure ratio: answered calls / call attempts with a final outcome."),
        formula_panel("hepstack-lens-ner", "NER", "tdr", "NER", NER_OUTCOMES, ATTEMPTS,
                      "Network effectiveness ratio: (answered + busy + declined + canceled) / attempts."),
        metric_panel("hepstack-lens-pdd-avg", "Average PDD", "tdr",
                     metric("average", "tdr.setup_ms", "Average PDD"), ATTEMPTS,
                     "Post-dial delay: INVITE to the first ringing/progress response, averaged."),
        donut("hepstack-lens-status-breakdown", "Session status", "tdr", terms("tdr.status", "Status", "v"),
              count("Calls"), CALLS),
        over_time("hepstack-lens-status-over-time", "Session status over time", "tdr", "bar_stacked",
                  [("v", count("Calls"))], terms("tdr.status", "Status", "v"), CALLS),
    ]
    # -- MOS time machine --------------------------------------------------------------------------
    mos_bands = [("Bad (< 3.1)", None, 3.1), ("Poor (3.1 - 3.6)", 3.1, 3.6), ("Fair (3.6 - 4.0)", 3.6, 4.0),
                 ("Good (4.0 - 4.3)", 4.0, 4.3), ("Excellent (>= 4.3)", 4.3, None)]
    L += [
        metric_panel("hepstack-lens-mos-avg", "Average MOS", "tdr", metric("average", "qos.mos", "Average MOS"),
                     MOS_CALLS, "qos.mos is the worse of the two legs' MOS."),
        metric_panel("hepstack-lens-mos-worst", "Worst MOS", "tdr", metric("min", "qos.mos", "Worst MOS"),
                     MOS_CALLS),
        metric_panel("hepstack-lens-duration-avg", "Average call duration", "tdr",
                     metric("average", "tdr.duration_s", "Average duration"), FINISHED_CALLS,
                     "Billable seconds (answer to hang-up) of completed calls."),
        over_time("hepstack-lens-mos-by-group", "Average MOS by HEP group", "tdr", "line",
                  [("v", metric("average", "qos.mos", "Average MOS"))], terms("hep.group", "HEP group"), MOS_CALLS),
        over_time("hepstack-lens-mos-worst-by-node", "Worst MOS by capture node", "tdr", "line",
                  [("v", metric("min", "qos.mos", "Worst MOS"))], terms("hep.node", "Capture node"), MOS_CALLS),
        bars("hepstack-lens-mos-distribution", "MOS distribution", "tdr", ranges("qos.mos", "MOS", mos_bands),
             count("Calls"), MOS_CALLS, "Calls per MOS band (ITU-T G.107 user satisfaction)."),
        over_time("hepstack-lens-jitter-over-time", "Jitter over time (RTCP)", "rtcp", "line",
                  [("avg", metric("average", "qos.jitter_ms", "Average jitter (ms)")),
                   ("max", metric("max", "qos.jitter_ms", "Highest jitter (ms)"))], query="qos.jitter_ms : *"),
        over_time("hepstack-lens-loss-over-time", "Packet loss over time (RTCP)", "rtcp", "line",
                  [("avg", metric("average", "qos.loss_pct", "Average loss (%)")),
                   ("max", metric("max", "qos.loss_pct", "Highest loss (%)"))], query="qos.loss_pct : *"),
    ]
    # -- network top -------------------------------------------------------------------------------
    L += [
        table("hepstack-lens-top-destination-countries-ip", "Top destination countries (IP geolocation)", "sip",
              [("t", terms("destination.geo.country_iso_code", "Country", "v", 20))],
              [("v", count("INVITEs"))], INVITES),
        table("hepstack-lens-top-destination-countries-number", "Top destination countries (called number)",
              "tdr", [("t", terms("tdr.callee.number.region_code", "Region", "v", 20))],
              [("v", count("Calls"))], CALLS),
        top_bars("hepstack-lens-top-source-ips", "Top source IPs", "sip", "source.ip", "Source IP",
                 count("SIP messages"), data_type="ip"),
        top_bars("hepstack-lens-top-destination-ips", "Top destination IPs", "sip", "destination.ip",
                 "Destination IP", count("SIP messages"), data_type="ip"),
        top_bars("hepstack-lens-top-callers", "Top callers", "tdr", "tdr.caller.user", "Caller", count("Calls"), CALLS),
        top_bars("hepstack-lens-top-callees", "Top callees", "tdr", "tdr.callee.user", "Callee", count("Calls"), CALLS),
        top_bars("hepstack-lens-top-user-agents", "Top user agents", "sip", "sip.user_agent.original",
                 "User agent", count("SIP messages")),
        metric_panel("hepstack-lens-distinct-callers", "Distinct callers", "tdr",
                     unique_count("tdr.caller.user", "Distinct callers"), CALLS),
    ]
    # -- fraud cost ---------------------------------------------------------------------------------
    L += [
        metric_panel("hepstack-lens-high-risk-calls", "Calls to high-risk countries", "tdr", count("Calls"),
                     HIGH_RISK, "Region codes often abused for IRSF; edit the list in the panel's query."),
        over_time("hepstack-lens-cost-by-destination", "Cost per destination over time", "tdr", "bar_stacked",
                  [("v", metric("sum", "rating.cost", "Cost"))], terms("rating.destination", "Destination", "v"),
                  RATED_CALLS),
        table("hepstack-lens-top-callers-by-cost", "Top callers by cost", "tdr",
              [("t", terms("tdr.caller.user", "Caller", "cost", 20))],
              [("cost", metric("sum", "rating.cost", "Cost")), ("calls", count("Rated calls")),
               ("air", metric("sum", "tdr.duration_s", "Airtime"))], RATED_CALLS),
        table("hepstack-lens-top-destinations-by-cost", "Top destinations by cost", "tdr",
              [("t", terms("rating.destination", "Destination", "cost", 20))],
              [("cost", metric("sum", "rating.cost", "Cost")), ("calls", count("Rated calls")),
               ("air", metric("sum", "tdr.duration_s", "Airtime"))], RATED_CALLS),
        table("hepstack-lens-high-risk-destinations", "Calls to high-risk countries", "tdr",
              [("t", terms("tdr.callee.number.region_code", "Region", "calls", 20))],
              [("calls", count("Calls")), ("cost", metric("sum", "rating.cost", "Cost")),
               ("air", metric("sum", "tdr.duration_s", "Airtime"))], HIGH_RISK),
    ]
    # -- alerts and security ------------------------------------------------------------------------
    L += [
        over_time("hepstack-lens-alerts-by-rule", "Alerts over time by rule", "alert", "bar_stacked",
                  [("v", count("Alerts"))], terms("alert.rule", "Rule", "v")),
        over_time("hepstack-lens-alerts-by-severity", "Alerts over time by severity", "alert", "bar_stacked",
                  [("v", count("Alerts"))], terms("alert.severity", "Severity", "v")),
        metric_panel("hepstack-lens-alerts-total", "Alerts", "alert", count("Alerts"), "",
                     "Alerts raised in the time range (of the chosen severities and rules)."),
        top_bars("hepstack-lens-top-alerted-users", "Top alerted users", "alert", "alert.user", "User",
                 count("Alerts")),
        top_bars("hepstack-lens-top-alerted-ips", "Top alerted IPs", "alert", "alert.source_ip", "Source IP",
                 count("Alerts"), data_type="ip"),
        table("hepstack-lens-blacklist-hits", "Blacklist hits", "sip",
              [("l", terms("source.blacklist.lists", "Blacklist", "v", 10)),
               ("t", terms("source.ip", "Source IP", "v", 20, "ip"))],
              [("v", count("SIP messages"))], BLACKLISTED),
        over_time("hepstack-lens-scanner-traffic", "Scanner traffic over time", "sip", "bar_stacked",
                  [("v", count("SIP messages"))], query=SCANNERS,
                  description="SIP messages whose User-Agent is a known scanner (SIPVicious, sipcli, ...)."),
        top_bars("hepstack-lens-scanner-sources", "Top scanner source IPs", "sip", "source.ip", "Source IP",
                 count("SIP messages"), SCANNERS, data_type="ip"),
    ]
    # -- SIP health ---------------------------------------------------------------------------------
    classes = [(f"{k}xx", f"sip.code >= {k}00 and sip.code < {k + 1}00") for k in range(1, 7)]
    L += [
        over_time("hepstack-lens-sip-methods", "SIP requests over time by method", "sip", "bar_stacked",
                  [("v", count("Requests"))], terms("sip.method", "Method", "v"), REQUESTS),
        over_time("hepstack-lens-sip-codes", "SIP responses over time by code", "sip", "bar_stacked",
                  [("v", count("Responses"))], terms("sip.code", "Code", "v", 20, "number"), RESPONSES),
        donut("hepstack-lens-sip-response-classes", "SIP response classes", "sip",
              filters("Class", classes), count("Responses"), RESPONSES),
        over_time("hepstack-lens-registrations-over-time", "Registrations over time", "sip", "bar_stacked",
                  [("v", count("REGISTER responses"))],
                  filters("Outcome", [("Registered", REG_OK), ("Challenged", REG_CHALLENGED),
                                      ("Failed", REG_FAILED)]), REGISTER_RESPONSES),
        metric_panel("hepstack-lens-registrations-ok", "Successful registrations", "sip",
                     count("Registered", REG_OK), REGISTER_RESPONSES, "2xx answers to REGISTER."),
        metric_panel("hepstack-lens-registrations-failed", "Failed registrations", "sip",
                     count("Failed", REG_FAILED), REGISTER_RESPONSES,
                     "Final error answers to REGISTER other than 401/407 authentication challenges."),
        top_bars("hepstack-lens-registration-failures-by-user", "Failed registrations by user", "sip",
                 "sip.to.uri.username", "User", count("Failed registrations"),
                 REGISTER_RESPONSES + " and " + REG_FAILED),
    ]
    objects += L
    objects.append(destinations_map())

    nodes = [("tdr", "hep.node", "Capture node"), ("tdr", "hep.group", "HEP group")]
    calls = (Dashboard("hepstack-dashboard-calls-overview", "hepstack · Calls overview (TDR)",
                       "CDR counts and cost, session outcomes, ASR/NER and post-dial delay, from call TDRs.",
                       nodes + [("tdr", "tdr.caller.domain", "Caller domain")])
             .add("lens", "hepstack-lens-cdr-count", 8, 6, True)
             .add("lens", "hepstack-lens-cost-total", 8, 6, True)
             .add("lens", "hepstack-lens-cost-max", 8, 6, True)
             .add("lens", "hepstack-lens-cost-avg", 8, 6, True)
             .add("lens", "hepstack-lens-asr", 8, 6, True)
             .add("lens", "hepstack-lens-ner", 8, 6, True)
             .add("lens", "hepstack-lens-status-breakdown", 16, 14)
             .add("lens", "hepstack-lens-status-over-time", 24, 14)
             .add("lens", "hepstack-lens-pdd-avg", 8, 7, True)
             .add("search", "hepstack-search-tdr-list", 48, 16))
    mos = (Dashboard("hepstack-dashboard-mos-time-machine", "hepstack · MOS time-machine",
                     "Voice quality over time: MOS per HEP group and capture node, MOS bands, worst calls, "
                     "and jitter and loss from RTCP reports.",
                     [("tdr", "hep.node", "Capture node"), ("tdr", "hep.group", "HEP group")])
           .add("lens", "hepstack-lens-mos-avg", 16, 6, True)
           .add("lens", "hepstack-lens-mos-worst", 16, 6, True)
           .add("lens", "hepstack-lens-duration-avg", 16, 6, True)
           .add("lens", "hepstack-lens-mos-by-group", 24, 13)
           .add("lens", "hepstack-lens-mos-worst-by-node", 24, 13)
           .add("lens", "hepstack-lens-mos-distribution", 16, 13)
           .add("lens", "hepstack-lens-jitter-over-time", 16, 13)
           .add("lens", "hepstack-lens-loss-over-time", 16, 13)
           .add("search", "hepstack-search-worst-calls", 48, 15))
    network = (Dashboard("hepstack-dashboard-network-top", "hepstack · Network top",
                         "Top destinations (map and tables), top source and destination IPs, top callers and "
                         "callees, top user agents.",
                         [("sip", "hep.node", "Capture node"), ("sip", "hep.group", "HEP group")])
               .add("map", "hepstack-map-invite-destinations", 32, 16)
               .add("lens", "hepstack-lens-top-destination-countries-ip", 16, 16)
               .add("lens", "hepstack-lens-top-destination-countries-number", 16, 14)
               .add("lens", "hepstack-lens-top-source-ips", 16, 14)
               .add("lens", "hepstack-lens-top-destination-ips", 16, 14)
               .add("lens", "hepstack-lens-distinct-callers", 8, 14, True)
               .add("lens", "hepstack-lens-top-callers", 20, 14)
               .add("lens", "hepstack-lens-top-callees", 20, 14)
               .add("lens", "hepstack-lens-top-user-agents", 48, 14))
    fraud = (Dashboard("hepstack-dashboard-fraud-cost", "hepstack · Fraud cost",
                       "What calls cost and who makes them: cost per destination over time, top callers and "
                       "destinations by cost (with call count and airtime), calls to high-risk countries.",
                       nodes + [("tdr", "tdr.caller.domain", "Caller domain")])
             .add("lens", "hepstack-lens-cost-total", 12, 6, True)
             .add("lens", "hepstack-lens-cost-max", 12, 6, True)
             .add("lens", "hepstack-lens-high-risk-calls", 12, 6, True)
             .add("lens", "hepstack-lens-distinct-callers", 12, 6, True)
             .add("lens", "hepstack-lens-cost-by-destination", 48, 14)
             .add("lens", "hepstack-lens-top-callers-by-cost", 24, 15)
             .add("lens", "hepstack-lens-top-destinations-by-cost", 24, 15)
             .add("lens", "hepstack-lens-high-risk-destinations", 48, 12))
    alerts = (Dashboard("hepstack-dashboard-alerts-security", "hepstack · Alerts and security",
                        "Fraud and security alerts by rule and severity, the users and IPs they name. "
                        "Blacklist hits and scanner traffic (SIP messages) are on SIP health, where the "
                        "controls filter SIP fields.",
                        [("alert", "alert.severity", "Severity"), ("alert", "alert.rule", "Rule")],
                        time_from="now-7d")
              .add("lens", "hepstack-lens-alerts-by-rule", 24, 13)
              .add("lens", "hepstack-lens-alerts-by-severity", 24, 13)
              .add("lens", "hepstack-lens-alerts-total", 8, 13, True)
              .add("lens", "hepstack-lens-top-alerted-users", 20, 13)
              .add("lens", "hepstack-lens-top-alerted-ips", 20, 13)
              .add("search", "hepstack-search-alerts", 48, 15))
    sip = (Dashboard("hepstack-dashboard-sip-health", "hepstack · SIP health",
                     "SIP requests by method and responses by code over time, response classes, "
                     "registrations (successes, authentication challenges and failures), blacklisted "
                     "sources and SIP scanner traffic.",
                     [("sip", "hep.node", "Capture node"), ("sip", "hep.group", "HEP group"),
                      ("sip", "sip.to.uri.host", "Domain")])
           .add("lens", "hepstack-lens-sip-methods", 24, 13)
           .add("lens", "hepstack-lens-sip-codes", 24, 13)
           .add("lens", "hepstack-lens-sip-response-classes", 16, 13)
           .add("lens", "hepstack-lens-registrations-over-time", 32, 13)
           .add("lens", "hepstack-lens-registrations-ok", 12, 6, True)
           .add("lens", "hepstack-lens-registrations-failed", 12, 6, True)
           .add("lens", "hepstack-lens-registration-failures-by-user", 24, 12)
           .add("lens", "hepstack-lens-blacklist-hits", 16, 13)
           .add("lens", "hepstack-lens-scanner-traffic", 16, 13)
           .add("lens", "hepstack-lens-scanner-sources", 16, 13)
           .add("search", "hepstack-search-sip-messages", 48, 15))
    objects += [d.saved_object() for d in (calls, mos, network, fraud, alerts, sip)]
    return objects


def main():
    objects = build()
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "hepstack.ndjson"), "w", encoding="utf-8", newline="\n") as out:
        for o in objects:
            out.write(js(o) + "\n")
        out.write(js({"excludedObjects": [], "excludedObjectsCount": 0, "exportedCount": len(objects),
                      "missingRefCount": 0, "missingReferences": []}) + "\n")
    print(f"wrote {len(objects)} saved objects")


if __name__ == "__main__":
    main()

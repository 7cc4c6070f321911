// JSON views of inspections and movements, and the record fields of a document.
#include "web/desk.hpp"

#include "mrz/json.hpp"

namespace borderpost::station {

namespace {

nlohmann::json checks_json(const std::vector<CheckResult>& checks) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : checks) {
    nlohmann::json check{{"id", c.id}, {"status", to_string(c.status)}, {"reason", c.reason}, {"measurement", c.measurement}, {"alert", c.alert}};
    if (!c.reason_phrase.empty()) check["reason_phrase"] = to_json(c.reason_phrase);
    if (!c.measurement_phrase.empty()) check["measurement_phrase"] = to_json(c.measurement_phrase);
    list.push_back(std::move(check));
  }
  return list;
}

}  // namespace

nlohmann::json to_json(const Verdict& verdict) {
  return {{"overall", to_string(verdict.overall)}, {"headline", verdict.headline}, {"minor", verdict.minor}, {"checks", checks_json(verdict.checks)}};
}

nlohmann::json to_json(const Inspection& in) {
  nlohmann::json j{{"id", in.id}, {"state", to_string(in.state)}, {"message", in.message}, {"device", in.device},
                   {"source", to_string(in.source)}, {"direction", to_string(in.direction)}};
  if (!in.message_phrase.empty()) j["message_phrase"] = to_json(in.message_phrase);
  if (!in.sample.empty()) j["sample"] = in.sample;
  nlohmann::json lights = nlohmann::json::array();
  for (const auto& image : in.images) lights.push_back(to_string(image.light));
  j["images"] = lights;
  j["portrait"] = !in.portrait.empty();
  nlohmann::json chip{{"state", to_string(in.chip.state)}, {"face", !in.chip_face.empty()}};
  if (!in.chip.detail.empty()) chip["detail"] = in.chip.detail;
  if (in.chip.state == ChipFacts::State::read) {
    const auto& r = in.chip.report;
    chip["method"] = r.access.method;
    chip["commands"] = r.commands;
    double ms = 0;
    for (const auto& step : r.steps) ms += step.milliseconds;
    chip["elapsed_ms"] = ms;
  }
  j["chip"] = chip;
  if (!in.read_status.empty()) {
    nlohmann::json confidence = nlohmann::json::object();
    for (const auto& f : in.confidence) confidence[f.field] = f.confidence;
    nlohmann::json repaired = nlohmann::json::array();
    for (const auto& c : in.repaired)
      repaired.push_back({{"field", c.field}, {"line", c.line}, {"position", c.position}, {"from", std::string(1, c.from)}, {"to", std::string(1, c.to)}});
    j["read"] = {{"status", in.read_status}, {"elapsed_ms", in.read_ms}, {"orientation", in.orientation},
                 {"confidence", confidence}, {"repaired", repaired}, {"uncertain_fields", in.uncertain_fields}};
  }
  if (in.document) j["document"] = mrz::to_json(*in.document);
  if (in.state == DeskState::inspected || in.state == DeskState::decided) j["verdict"] = to_json(in.verdict);
  if (in.movement) j["movement"] = to_json(*in.movement, false);
  return j;
}

nlohmann::json to_json(const StoredMovement& m, bool with_checks) {
  const auto& d = m.draft;
  const auto& mv = d.movement;
  nlohmann::json j{{"uuid", m.uuid}, {"seq", m.seq}, {"recorded_at", m.recorded_at}, {"local_date", m.local_date},
                   {"local_time", m.local_time}, {"direction", mv.direction}, {"decision", mv.decision},
                   {"refusal_reason", d.refusal_reason}, {"note", d.note}, {"companion", d.companion},
                   {"inspector", mv.inspector}, {"source", to_string(d.source)}, {"verdict", mv.checks.verdict},
                   {"document", {{"format", mv.document.format}, {"code", mv.document.code}, {"issuer", mv.document.issuer},
                                 {"number", mv.document.number}, {"expiry", mv.document.expiry}}},
                   {"traveller", {{"surname", mv.traveller.surname}, {"given_names", mv.traveller.given_names},
                                  {"nationality", mv.traveller.nationality}, {"birth_date", mv.traveller.birth_date},
                                  {"sex", mv.traveller.sex}}}};
  j["alerts"] = m.alerts;
  if (mv.corrects) j["corrects"] = *mv.corrects;
  if (with_checks) {
    j["checks"] = checks_json(d.checks);
    j["mrz_lines"] = d.mrz_lines;
    nlohmann::json images = nlohmann::json::object();
    for (const auto& img : d.images) images[img.light] = img.path;
    j["images"] = images;
  }
  return j;
}

}  // namespace borderpost::station

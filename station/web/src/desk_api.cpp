// The desk's endpoints: requests checked and answered here, the desk's state changed by Desk.
#include "web/desk_api.hpp"

#include <cstdio>
#include <variant>

#include <spdlog/spdlog.h>

#include "mrz/json.hpp"
#include "mrz/mrz.hpp"
#include "web/api_support.hpp"

namespace borderpost::station {
namespace {

using namespace api;

HttpResponse refused(const HttpRequest& request, const Refusal& refusal) {
  return error(request, refusal.status, refusal.message, refusal.phrase);
}

HttpResponse no_such_endpoint(const HttpRequest& request, const std::string& path) {
  return error(request, http::status::not_found, "no such API endpoint: " + std::string(request.method_string()) + " " + path);
}

// "entry" or "exit" (none when left out and not `required`); anything else is a bad request.
std::optional<Direction> direction_field(const json& j, bool required) {
  const auto text = text_field(j, "direction", required);
  if (!required && text.empty()) return std::nullopt;
  const auto direction = direction_named(text);
  if (!direction) throw BadRequest("direction must be entry or exit");
  return direction;
}

// The data page's fields as the inspector typed them, formatted into the MRZ they imply.
std::variant<mrz::Document, HttpResponse> document_from_page(const HttpRequest& request, const json& v, const mrz::ParseOptions& options) {
  if (!v.is_object()) throw BadRequest("viz must be an object of the data page's fields");
  mrz::DocumentFields f;
  const auto kind = text_field(v, "layout");
  f.format = kind == "TD1" ? mrz::Format::TD1 : kind == "TD2" ? mrz::Format::TD2 : mrz::Format::TD3;
  f.document_code = text_field(v, "document_code");
  f.issuing_state = text_field(v, "issuing_state", true);
  f.surname = text_field(v, "surname", true);
  f.given_names = text_field(v, "given_names");
  f.document_number = text_field(v, "document_number", true);
  f.nationality = text_field(v, "nationality", true);
  const auto sex = text_field(v, "sex");
  f.sex = sex.empty() ? '<' : sex[0];
  for (auto [key, date] : {std::pair{"birth_date", &f.birth_date}, {"expiry_date", &f.expiry_date}}) {
    const auto text = text_field(v, key, true);
    int y = 0, m = 0, d = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) throw BadRequest(std::string(key) + " must be YYYY-MM-DD");
    date->year = y;
    date->month = m;
    date->day = d;
  }
  const auto formatted = mrz::format(f);
  if (!formatted.ok()) {
    std::string why;
    Phrase said{"error.viz.cannot_format"};
    for (const auto& p : formatted.problems) {
      why.append(why.empty() ? "" : "; ").append(p.message);
      said.parts.push_back(problem_phrase(p));
    }
    return error(request, http::status::unprocessable_entity, "these data page fields cannot make a document: " + why, said);
  }
  return mrz::parse(formatted.text(), options);
}

}  // namespace

bool DeskApi::handle(const HttpRequest& request, const std::string& path, const Session& who, const LocalServer::Respond& respond) {
  const auto method = request.method();
  // A decision may wait for the traveller's photo: answered later.
  if (method == http::verb::post && path == "/api/inspection/decision") {
    decide(request, body_object(request), who, respond);
    return true;
  }
  if (method == http::verb::get && path == "/api/status") {
    respond(ok(request, c_.status()));
    return true;
  }
  if (path.rfind("/api/inspection", 0) == 0) {
    auto answered = inspection(request, path);
    if (answered.result() == http::status::ok) c_.desk.viewed(who.account);
    respond(std::move(answered));
    return true;
  }
  if (method == http::verb::post && path == "/api/mrz/validate") {
    mrz::ParseOptions options;
    options.as_of = c_.desk.clock().day;
    respond(ok(request, mrz::to_json(mrz::parse(text_field(body_object(request), "mrz", true), options))));
    return true;
  }
  if (method == http::verb::get && path == "/api/refusal-reasons") {
    json list = json::array();
    for (const auto& r : c_.config.refusal_reasons) list.push_back({{"code", r.code}, {"label", r.label}, {"labels", r.labels}});
    respond(ok(request, list));
    return true;
  }
  return false;
}

// The current inspection's endpoints: the traveller at the desk, their images, and the inspector's
// direction and typed MRZ.
HttpResponse DeskApi::inspection(const HttpRequest& request, const std::string& path) {
  const auto method = request.method();
  const auto& current = c_.desk.current();
  auto bytes = [&](const std::vector<unsigned char>& jpeg, const char* what) {
    if (jpeg.empty()) return error(request, http::status::not_found, std::string("no ") + what);
    return api::bytes_response(request, "image/jpeg", std::string(jpeg.begin(), jpeg.end()));
  };
  static const std::vector<unsigned char> kNoImage;
  if (method == http::verb::get) {
    if (path == "/api/inspection") return ok(request, current ? to_json(*current) : json{{"state", "idle"}});
    if (path == "/api/inspection/portrait") return bytes(current ? current->portrait : kNoImage, "portrait for the current document");
    if (path == "/api/inspection/chip-face")
      return bytes(current ? current->chip_face : kNoImage, "face from the chip of the current document");
    if (path.rfind("/api/inspection/images/", 0) == 0) return image(request, path.substr(23));
  }
  if (method == http::verb::post && path == "/api/inspection/direction") {
    const auto direction = direction_field(body_object(request), true);
    if (auto refusal = c_.desk.set_direction(*direction)) return refused(request, *refusal);
    return ok(request, to_json(*c_.desk.current()));
  }
  if (method == http::verb::post && path == "/api/inspection/manual") return typed(request, body_object(request));
  return no_such_endpoint(request, path);
}

// The current document's page image under one light, for the desk page.
HttpResponse DeskApi::image(const HttpRequest& request, const std::string& light) {
  if (const auto& current = c_.desk.current())
    for (const auto& image : current->images)
      if (to_string(image.light) == light)
        return api::bytes_response(request, image_extension(image.encoded) == ".png" ? "image/png" : "image/jpeg",
                                   std::string(image.encoded.begin(), image.encoded.end()));
  return error(request, http::status::not_found, "the current document has no " + light + " image");
}

// A typed MRZ, or the data page's fields of a document without one.
HttpResponse DeskApi::typed(const HttpRequest& request, const json& j) {
  if (auto refusal = c_.desk.busy()) return refused(request, *refusal);
  const bool viz = j.contains("viz");
  mrz::ParseOptions options;
  options.as_of = c_.desk.clock().day;
  mrz::Document document;
  if (viz) {
    auto made = document_from_page(request, j["viz"], options);
    if (auto* refusal = std::get_if<HttpResponse>(&made)) return std::move(*refusal);
    document = std::get<mrz::Document>(std::move(made));
  } else {
    document = mrz::parse(text_field(j, "mrz", true), options);
    if (!document.usable()) {
      json problems = json::array();
      Phrase said{"error.mrz.not_mrz"};
      for (const auto& p : document.problems) {
        problems.push_back(p.message);
        said.parts.push_back(problem_phrase(p));
      }
      return ok(request, {{"error", "this is not a machine-readable zone"}, {"phrase", to_json(said)}, {"problems", problems}},
                http::status::unprocessable_entity);
    }
  }
  const auto direction = direction_field(j, false);
  c_.desk.typed(std::move(document), viz ? MrzSource::VizTyped : MrzSource::Typed, direction);
  return ok(request, to_json(*c_.desk.current()));
}

// The inspector's decision: checked here, then (with a traveller camera) the photo is taken on a
// worker and the movement recorded back on the loop. The photo never holds a decision back: no
// camera or no face records the movement without it.
void DeskApi::decide(const HttpRequest& request, const json& j, const Session& who, const LocalServer::Respond& respond) {
  if (auto refusal = c_.desk.may_decide(j.contains("inspection") ? j["inspection"] : json())) return respond(refused(request, *refusal));
  if (j.contains("inspector")) throw BadRequest("the inspector is the logged-in account: leave inspector out");
  DecisionAsked asked;
  const auto decided = decision_named(text_field(j, "decision", true));
  if (!decided) throw BadRequest("decision must be admit, refuse or refer");
  asked.decision = *decided;
  asked.direction = direction_field(j, false);
  asked.refusal_reason = text_field(j, "refusal_reason");
  if (asked.decision == Decided::refuse) {
    bool known = false;
    for (const auto& r : c_.config.refusal_reasons) known = known || r.code == asked.refusal_reason;
    if (!known) throw BadRequest("a refusal needs refusal_reason, one of the codes in GET /api/refusal-reasons");
  } else if (!asked.refusal_reason.empty()) {
    throw BadRequest("refusal_reason applies to refusals only");
  }
  asked.note = text_field(j, "note");
  asked.companion = text_field(j, "companion");
  if (asked.note.size() > 2000 || asked.companion.size() > 500)
    throw BadRequest("note (2000) or companion (500 characters) is too long", {"error.decision.too_long"});
  Decision decision;
  if (auto refusal = c_.desk.prepare(asked, who.account, decision)) return respond(refused(request, *refusal));
  auto inspection = c_.desk.current();
  if (!c_.camera) return respond(recorded(request, inspection, std::move(decision), std::nullopt));
  c_.desk.deciding(inspection->id);
  auto answer_to = std::make_shared<HttpRequest>(request);
  auto pending = std::make_shared<Decision>(std::move(decision));
  c_.background.run([camera = c_.camera] { return camera->take_photo(); },
                    [this, answer_to, inspection, pending, respond](std::optional<bridge::TravellerPhoto> photo) {
                      c_.desk.deciding(0);
                      if (!photo)
                        photo = bridge::TravellerPhoto{bridge::TravellerPhoto::Outcome::CameraUnavailable, {}, "the traveller camera failed"};
                      c_.photo_taken(photo->outcome);
                      respond(recorded(*answer_to, inspection, std::move(*pending), std::move(photo)));
                    },
                    answer_failure(answer_to, respond, "the decision"));
}

HttpResponse DeskApi::recorded(const HttpRequest& request, const std::shared_ptr<Inspection>& inspection, Decision decision,
                               std::optional<bridge::TravellerPhoto> photo) {
  const bool with_photo = photo && photo->outcome == bridge::TravellerPhoto::Outcome::Taken;
  if (auto refusal = c_.desk.record(inspection, std::move(decision), with_photo ? &photo->jpeg : nullptr)) return refused(request, *refusal);
  const auto& movement = *inspection->movement;
  if (photo && !with_photo) {
    // Why the record has no photo, for the supervisor; the message names devices, never the person.
    spdlog::warn("inspection={} movement recorded without the traveller's photo: {}", inspection->id, photo->message);
    c_.audit("system", "movement.traveller-photo-missing", movement.uuid, std::string(bridge::to_string(photo->outcome)) + ": " + photo->message);
  }
  return ok(request, to_json(movement, true), http::status::created);
}

}  // namespace borderpost::station

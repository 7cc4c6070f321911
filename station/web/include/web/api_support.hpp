// What every local API handler shares: JSON answers and errors, request fields, query values.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "web/local_server.hpp"
#include "phrase/phrase.hpp"

namespace borderpost::station::api {

namespace http = boost::beast::http;
using nlohmann::json;

// A request the API cannot take: answered 400 with the message (and its phrase, for the pages).
struct BadRequest : std::runtime_error {
  explicit BadRequest(const std::string& message, Phrase said = {}) : std::runtime_error(message), phrase(std::move(said)) {}
  Phrase phrase;
};

inline HttpResponse ok(const HttpRequest& r, const json& j, http::status s = http::status::ok) { return json_response(r, s, j.dump()); }
// {"error": the English message, "phrase": the same for the pages in the reader's language}.
inline HttpResponse error(const HttpRequest& r, http::status s, const std::string& message, const Phrase& phrase = {}) {
  json body{{"error", message}};
  if (!phrase.empty()) body["phrase"] = to_json(phrase);
  return json_response(r, s, body.dump());
}

// A change refused because the station cannot write now: what was not done ("The account was NOT
// created."), then why (the station's store problem), in one sentence and one phrase.
inline HttpResponse not_written(const HttpRequest& r, const Said& not_done, const Said& why) {
  const auto refused = not_done_because(not_done, why);
  return error(r, http::status::service_unavailable, refused.english, refused.phrase);
}

inline json body_object(const HttpRequest& request) {
  json j = json::parse(request.body(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw BadRequest("the request body must be a JSON object");
  return j;
}

inline std::string text_field(const json& j, const char* key, bool required = false) {
  if (!j.contains(key) || j[key].is_null()) {
    if (required) throw BadRequest(std::string(key) + " is required");
    return "";
  }
  if (!j[key].is_string()) throw BadRequest(std::string(key) + " must be a string");
  return j[key].get<std::string>();
}

// The value of `key` in the target's query string, percent-decoded; "" when absent.
std::string query_value(const std::string& target, const std::string& key);

// A binary answer (an image, a file) that is never cached and never sniffed.
HttpResponse bytes_response(const HttpRequest& request, const std::string& content_type, std::string bytes);

}  // namespace borderpost::station::api

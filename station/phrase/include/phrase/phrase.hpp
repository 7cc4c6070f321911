// A sentence the pages say in the reader's language. The daemon words its check reasons, MRZ
// problems and desk messages in English (for logs, exports and the command line) and sends each
// with a Phrase: the key of its message in station/web/i18n/LANG.json and the values it names.
// The pages format the message in the reader's language, and fall back to the English.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mrz/document.hpp"

namespace borderpost::station {

struct Phrase {
  Phrase() = default;
  Phrase(std::string message_key, mrz::MessageArgs values = {}, std::vector<Phrase> then = {})
      : key(std::move(message_key)), args(std::move(values)), parts(std::move(then)) {}

  std::string key;           // "reason.document.expired.fail"; empty: only the parts are said
  mrz::MessageArgs args;     // {"expiry", "2024-03-01"}, {"days", "265"}
  std::vector<Phrase> parts;  // sentences said after this one, in order
  bool empty() const { return key.empty() && parts.empty(); }
};

// A sentence in English (logs, the command line, the API's "error") and as a phrase for the pages.
struct Said {
  std::string english;
  Phrase phrase;
  bool empty() const { return english.empty(); }
};

inline Said said(std::string english, std::string key, mrz::MessageArgs args = {}) {
  return {std::move(english), Phrase{std::move(key), std::move(args), {}}};
}

// What was not done ("The movement was NOT recorded."), then why, in one sentence and one phrase.
inline Said not_done_because(const Said& not_done, const Said& why) {
  return {not_done.english + " " + why.english, Phrase{not_done.phrase.key, {}, {why.phrase}}};
}

// The phrase of an MRZ problem: "problem.<code>" with the problem's values.
Phrase problem_phrase(const mrz::Problem& problem);

// {"key": ..., "args": {...}, "parts": [...]}, the empty members left out; null for an empty phrase.
nlohmann::json to_json(const Phrase& phrase);
// The phrase a to_json() wrote; an empty phrase for anything else (an older record's "").
Phrase phrase_from_json(const nlohmann::json& j);

}  // namespace borderpost::station

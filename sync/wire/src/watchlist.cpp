#include "sync/watchlist.hpp"

#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sync/record.hpp"
#include "charset.hpp"

namespace borderpost::sync {
namespace {

using nlohmann::json;

using charset::all_of, charset::upper, charset::upper_or_digit, charset::name_char;

json entry_json(const WatchlistEntry& e) {
  const auto columns = watchlist_columns(e);
  json j = json::object();
  for (std::size_t i = 0; i < columns.size(); ++i) j[kWatchlistFields[i]] = columns[i];
  return j;
}

std::optional<WatchlistEntry> entry_from_json(const json& j, std::string& error) {
  if (!j.is_object() || j.size() != kWatchlistFields.size()) return error = "an entry must hold exactly its nine fields", std::nullopt;
  WatchlistColumns columns;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const char* field = kWatchlistFields[i];
    if (!j.contains(field) || !j[field].is_string()) return error = std::string("entry field ") + field + " must be a string", std::nullopt;
    columns[i] = j[field].get<std::string>();
  }
  try {
    return watchlist_entry_from(std::move(columns));  // refuses a kind that is neither word
  } catch (const std::invalid_argument& e) {
    return error = e.what(), std::nullopt;
  }
}

}  // namespace

std::string_view to_string(WatchlistKind kind) { return kind == WatchlistKind::Document ? "document" : "person"; }

std::optional<WatchlistKind> watchlist_kind_named(std::string_view word) {
  for (const auto kind : {WatchlistKind::Document, WatchlistKind::Person})
    if (to_string(kind) == word) return kind;
  return std::nullopt;
}

WatchlistKind stored_watchlist_kind(std::string_view word, const std::string& id) {
  const auto kind = watchlist_kind_named(word);
  if (!kind) throw std::invalid_argument("watch-list entry " + id + " has the kind \"" + std::string(word) + "\", neither document nor person");
  return *kind;
}

WatchlistColumns watchlist_columns(const WatchlistEntry& e) {
  return {e.id, std::string(to_string(e.kind)), e.document_number, e.issuer, e.surname, e.given_names, e.birth_date, e.nationality, e.reason};
}

WatchlistEntry watchlist_entry_from(WatchlistColumns c) {
  const auto kind = stored_watchlist_kind(c[1], c[0]);
  return {std::move(c[0]), kind,           std::move(c[2]), std::move(c[3]), std::move(c[4]),
          std::move(c[5]), std::move(c[6]), std::move(c[7]), std::move(c[8])};
}

std::string watchlist_entry_problem(const WatchlistEntry& e) {
  if (e.id.empty() || e.id.size() > 64) return "the entry needs an id of at most 64 characters";
  if (e.reason.size() > 200) return "the reason must be at most 200 characters";
  if (e.kind == WatchlistKind::Document) {
    if (e.document_number.empty() || e.document_number.size() > 24 || !all_of(e.document_number, upper_or_digit))
      return "a document number must be 1-24 characters A-Z or 0-9";
    if (e.issuer.size() > 3 || !all_of(e.issuer, upper)) return "the issuer must be an ICAO code of 1-3 letters, or empty for any";
    return {};
  }
  if (e.surname.empty() || e.surname.size() > 100 || !all_of(e.surname, name_char))
    return "a surname must be 1-100 characters A-Z, space, '-' or apostrophe";
  if (e.given_names.size() > 100 || !all_of(e.given_names, name_char))
    return "given names must be at most 100 characters A-Z, space, '-' or apostrophe";
  if (!e.birth_date.empty() && !is_iso_date(e.birth_date)) return "the birth date must be YYYY-MM-DD";
  if (e.nationality.size() > 3 || !all_of(e.nationality, upper)) return "the nationality must be an ICAO code of 1-3 letters, or empty";
  return {};
}

void check_watchlist_change(const std::string& action, const WatchlistEntry& entry, bool listed) {
  if (action == "add") {
    if (auto problem = watchlist_entry_problem(entry); !problem.empty()) throw std::invalid_argument(problem);
    if (listed) throw std::invalid_argument("watch-list entry " + entry.id + " is already listed");
  } else if (action == "remove") {
    if (!listed) throw std::invalid_argument("no watch-list entry has the id " + entry.id);
  } else {
    throw std::invalid_argument("a watch-list change is add or remove, not " + action);
  }
}

std::string encode_watchlist_page(const WatchlistPage& page) {
  json changes = json::array();
  for (const auto& c : page.changes) changes.push_back({{"version", c.version}, {"action", c.action}, {"entry", entry_json(c.entry)}});
  return json{{"latest", page.latest}, {"changes", changes}}.dump();
}

std::string encode_watchlist_entries(const std::vector<WatchlistEntry>& entries) {
  json j = json::array();
  for (const auto& e : entries) j.push_back(entry_json(e));
  return j.dump();
}

std::optional<WatchlistPage> decode_watchlist_page(std::string_view body, std::string& error) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.size() != 2 || !j.contains("latest") || !j.contains("changes") ||
      !j["latest"].is_number_unsigned() || !j["changes"].is_array())
    return error = "a watch-list page must hold exactly latest and changes", std::nullopt;
  WatchlistPage page;
  page.latest = j["latest"].get<std::uint64_t>();
  std::uint64_t previous = 0;
  for (const auto& c : j["changes"]) {
    if (!c.is_object() || c.size() != 3 || !c.contains("version") || !c["version"].is_number_unsigned() || !c.contains("action") ||
        !c["action"].is_string() || !c.contains("entry"))
      return error = "a change must hold exactly version, action and entry", std::nullopt;
    WatchlistChange change;
    change.version = c["version"].get<std::uint64_t>();
    change.action = c["action"].get<std::string>();
    if (change.version <= previous || change.version > page.latest)
      return error = "change versions must increase and not pass latest", std::nullopt;
    previous = change.version;
    auto entry = entry_from_json(c["entry"], error);
    if (!entry) return std::nullopt;
    change.entry = std::move(*entry);
    if (change.action == "add") {
      if (auto problem = watchlist_entry_problem(change.entry); !problem.empty())
        return error = "version " + std::to_string(change.version) + ": " + problem, std::nullopt;
    } else if (change.action != "remove" || change.entry.id.empty()) {
      return error = "version " + std::to_string(change.version) + ": the action must be add, or remove with an id", std::nullopt;
    }
    page.changes.push_back(std::move(change));
  }
  return page;
}

std::optional<std::uint64_t> watchlist_since(std::string_view target) {
  const std::string_view prefix = "?since=";
  const std::string_view path = kWatchlistPath;
  if (target.substr(0, path.size()) != path) return std::nullopt;
  target.remove_prefix(path.size());
  if (target.empty()) return 0;
  if (target.substr(0, prefix.size()) != prefix) return std::nullopt;
  target.remove_prefix(prefix.size());
  std::uint64_t since = 0;
  const auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), since);
  if (ec != std::errc() || end != target.data() + target.size() || target.empty()) return std::nullopt;
  return since;
}

}  // namespace borderpost::sync

// The directorate's watch-list, travelling downstream: lost or stolen document numbers and person
// alerts. The central office numbers every change (a version); a post asks for the changes after
// the version it holds and applies them to its own table in one transaction, so its checks work
// offline and never see half an update. Format in docs/sync-protocol.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace borderpost::sync {

inline constexpr const char* kWatchlistPath = "/v1/watchlist";  // GET ?since=VERSION
inline constexpr std::size_t kWatchlistPageSize = 5000;

enum class WatchlistKind { Document, Person };
std::string_view to_string(WatchlistKind kind);  // "document" | "person"
std::optional<WatchlistKind> watchlist_kind_named(std::string_view word);
// The kind a stored row of entry `id` holds; throws std::invalid_argument for a word that is
// neither (a damaged row).
WatchlistKind stored_watchlist_kind(std::string_view word, const std::string& id);

struct WatchlistEntry {
  std::string id;  // assigned by the central office (UUID)
  WatchlistKind kind = WatchlistKind::Person;
  // document: the number (and the issuing state, "" for any)
  std::string document_number;
  std::string issuer;
  // person
  std::string surname;
  std::string given_names;
  std::string birth_date;  // YYYY-MM-DD, or "" when unknown
  std::string nationality;
  std::string reason;  // why the inspector must look: "stolen", "Interpol notice ...", ...
};

// What a removal carries: the entry's id (and kind, which the central office fills in from the
// listed entry).
inline WatchlistEntry watchlist_removal(std::string id, WatchlistKind kind = WatchlistKind::Person) {
  WatchlistEntry e;
  e.id = std::move(id);
  e.kind = kind;
  return e;
}

// An entry as its nine text fields, in the order the wire and every store keep them (kind as its
// word). watchlist_entry_from() throws std::invalid_argument for a kind that is neither word.
inline constexpr std::array<const char*, 9> kWatchlistFields = {"id", "kind", "document_number", "issuer", "surname",
                                                                "given_names", "birth_date", "nationality", "reason"};
using WatchlistColumns = std::array<std::string, 9>;
WatchlistColumns watchlist_columns(const WatchlistEntry& entry);
WatchlistEntry watchlist_entry_from(WatchlistColumns columns);

struct WatchlistChange {
  std::uint64_t version = 0;
  std::string action;  // "add" | "remove" (a removal carries the id and kind only)
  WatchlistEntry entry;
};

// One answer to GET /v1/watchlist?since=V: the changes after V in version order, at most a page.
struct WatchlistPage {
  std::vector<WatchlistChange> changes;
  std::uint64_t latest = 0;  // the central office's newest version
};

// Problems with an entry to be added, or "" (kind, formats, lengths).
std::string watchlist_entry_problem(const WatchlistEntry& entry);

// Throws std::invalid_argument unless `action` may be applied: "add" of a valid entry whose id is
// not listed, or "remove" of a listed id. The stores call it inside their write transaction.
void check_watchlist_change(const std::string& action, const WatchlistEntry& entry, bool listed);

std::string encode_watchlist_page(const WatchlistPage& page);
std::string encode_watchlist_entries(const std::vector<WatchlistEntry>& entries);  // a JSON array of entries as pages hold them
std::optional<WatchlistPage> decode_watchlist_page(std::string_view body, std::string& error);
// "since=42" out of a request target "/v1/watchlist?since=42"; nullopt if malformed.
std::optional<std::uint64_t> watchlist_since(std::string_view target);

}  // namespace borderpost::sync

// The inspector's desk: the one inspection in progress, from the document placed to the decision,
// and how it is shown (JSON) to the pages and to automation.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/audit_writer.hpp"
#include "firmware_bridge/page_reader.hpp"
#include "mrz/document.hpp"
#include "mrz_optical/read.hpp"
#include "config/config.hpp"
#include "inspection/inspection.hpp"
#include "store/store.hpp"
#include "sync/station_watchlist.hpp"
#include "web/api_support.hpp"

namespace borderpost::station {

// Where the inspection on the desk stands. placed -> reading -> inspected -> decided; a page that
// gives no document ends in no_mrz, unusable or interrupted (a typed MRZ can still inspect it).
// The transitions allowed are in one place: may_enter().
enum class DeskState { placed, reading, inspected, decided, no_mrz, unusable, interrupted };
std::string_view to_string(DeskState state);  // "placed", "reading", ..., "no-mrz" (the pages' words)
bool may_enter(DeskState from, DeskState to);

// What the inspector decided (the direction is inspection's Direction): words only in JSON.
enum class Decided { admit, refuse, refer };
std::string_view to_string(Decided decided);  // "admit" | "refuse" | "refer"
std::optional<Decided> decision_named(std::string_view text);

struct Inspection {
  std::uint64_t id = 0;
  DeskState state = DeskState::placed;
  std::string message;  // why, for the states that are not "inspected"
  Phrase message_phrase;  // the same for the desk page, in the inspector's language
  std::string device, sample;
  std::vector<bridge::PageImage> images;
  std::vector<unsigned char> portrait;  // JPEG of the portrait zone (Zone V), cut from the white image; empty when none
  MrzSource source = MrzSource::Optical;
  // The optical read, when there was one.
  std::string read_status;  // mrz::optical::to_string(ReadStatus): "valid", "needs_review", "invalid", "not_found", "unusable"
  double read_ms = 0;
  int orientation = 0;
  std::vector<mrz::FieldConfidence> confidence;
  std::vector<mrz::CharChange> repaired;
  std::vector<std::string> uncertain_fields;
  std::optional<mrz::Document> document;
  Direction direction = Direction::entry;
  ChipFacts chip;                        // what the chip reader found (the chip.* checks come from it)
  SecurityFacts security;                // what the page images measured (the security.* checks)
  std::vector<unsigned char> chip_face;  // DG2's face as JPEG; empty when none
  Verdict verdict;
  std::optional<StoredMovement> movement;
};

// The post's local date and time (a pinned date in rehearsals and tests).
struct LocalClock {
  std::string date, time;
  std::chrono::year_month_day day;
};
LocalClock local_clock(const StationConfig& config);

// Why the desk will not do what was asked, in HTTP's words and the inspector's.
struct Refusal {
  boost::beast::http::status status;
  std::string message;
  Phrase phrase;
};

// A decision as the inspector made it, waiting to be recorded (with the traveller's photo).
struct Decision {
  MovementDraft draft;
  LocalClock clock;
  std::string inspector;
};

// What the inspector sent with a decision (fields checked by the desk's handler).
struct DecisionAsked {
  Decided decision = Decided::refer;
  std::optional<Direction> direction;  // none: the inspection's
  std::string refusal_reason, note, companion;
};

// The desk: the one inspection in progress and every transition of it, whatever caused it (a
// device, the optical reader, the chip reader, the inspector).
class Desk {
 public:
  struct Context {
    const StationConfig& config;
    Store& store;
    sync::Outbox& outbox;
    sync::StationWatchlist& watchlist;
    Said& store_problem;  // why movements cannot be recorded; set here when the disk turns read-only
    AuditWriter audit;
    std::function<void(const char* event)> changed;  // the current inspection changed: tell the pages
    // The chip reader, when the post has one: read the chip for an inspection, or stop reading.
    std::function<void(std::uint64_t inspection, std::string mrz_information)> read_chip;
    std::function<void()> cancel_chip;
    std::function<void()> recorded;  // a movement was recorded (sync may send it)
  };
  explicit Desk(Context context) : c_(std::move(context)) {}

  const std::shared_ptr<Inspection>& current() const { return current_; }
  LocalClock clock() const { return local_clock(c_.config); }

  // --- from the devices ---
  void begin(const std::string& device);  // a document was placed
  void reader_lost();                      // the page reader went away
  void capture_failed(const std::string& why);
  // Page images arrived: the inspection they belong to, now reading (its optical read follows).
  std::shared_ptr<Inspection> captured(const bridge::Capture& capture);
  // The page gave no document (no white image, no MRZ, unusable): the inspector is told why.
  void no_document(Inspection& inspection, DeskState state, std::string message, Phrase phrase);
  void text_read(const bridge::Capture& capture);  // a text MRZ reader's lines
  void page_read(const std::shared_ptr<Inspection>& inspection, const mrz::optical::ReadResult& result);
  void chip_read(std::uint64_t inspection, ChipFacts facts, std::vector<unsigned char> face);

  // --- from the inspector ---
  void viewed(const std::string& account);  // sent the current traveller's data (audited once)
  std::optional<Refusal> set_direction(Direction direction);
  std::optional<Refusal> busy() const;  // the decision waits for the traveller's photo
  void typed(mrz::Document document, MrzSource source, std::optional<Direction> direction);
  // Whether a decision can be taken now (`inspection`: the one the inspector saw, when sent).
  std::optional<Refusal> may_decide(const nlohmann::json& inspection) const;
  std::optional<Refusal> prepare(const DecisionAsked& asked, const std::string& inspector, Decision& out);
  void deciding(std::uint64_t inspection) { deciding_ = inspection; }
  // Records the decision (with the photo's JPEG, when taken): nullopt once recorded.
  std::optional<Refusal> record(const std::shared_ptr<Inspection>& inspection, Decision decision,
                                const std::vector<unsigned char>* traveller_photo);

 private:
  bool enter(Inspection& inspection, DeskState to);
  void start_chip_read(Inspection& inspection);
  void run_checks(Inspection& inspection);
  const std::vector<sync::WatchlistEntry>& watchlist_persons();
  Refusal nothing_to_decide() const;
  Refusal store_unavailable() const;
  Refusal not_recorded(const std::exception& e);
  std::vector<std::string> save_images(const Inspection& inspection, const LocalClock& clock, MovementDraft& draft,
                                       const std::vector<unsigned char>* traveller_photo);

  Context c_;
  std::shared_ptr<Inspection> current_;
  std::uint64_t inspections_ = 0;
  std::uint64_t deciding_ = 0;       // the inspection whose decision waits for the traveller's photo
  std::set<std::string> viewed_by_;  // the accounts audited as having seen the current inspection
  std::optional<std::uint64_t> persons_version_;
  std::vector<sync::WatchlistEntry> persons_;
};

// The page images' file extension, from their first bytes.
std::string image_extension(const std::vector<unsigned char>& bytes);

nlohmann::json to_json(const Inspection& inspection);
nlohmann::json to_json(const Verdict& verdict);
nlohmann::json to_json(const StoredMovement& movement, bool with_checks);

}  // namespace borderpost::station

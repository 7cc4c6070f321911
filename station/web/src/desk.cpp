// The desk's state machine: the inspection in progress and what moves it on (devices, readers,
// the inspector). The decision and its recording are in decision.cpp.
#include "web/desk.hpp"

#include <ctime>

#include <spdlog/spdlog.h>

#include "emrtd/bac.hpp"
#include "mrz/mrz.hpp"

namespace borderpost::station {

std::string_view to_string(DeskState state) {
  switch (state) {
    case DeskState::placed: return "placed";
    case DeskState::reading: return "reading";
    case DeskState::inspected: return "inspected";
    case DeskState::decided: return "decided";
    case DeskState::no_mrz: return "no-mrz";
    case DeskState::unusable: return "unusable";
    case DeskState::interrupted: return "interrupted";
  }
  return "placed";
}

bool may_enter(DeskState from, DeskState to) {
  using S = DeskState;
  switch (to) {
    case S::placed: return false;  // a new document is a new inspection
    case S::reading: return from == S::placed;
    case S::interrupted: return from == S::placed;
    case S::no_mrz:
    case S::unusable: return from == S::placed || from == S::reading;
    case S::inspected: return from != S::decided;  // a typed MRZ inspects whatever the page gave
    case S::decided: return from == S::inspected;
  }
  return false;
}

std::string_view to_string(Decided decided) {
  switch (decided) {
    case Decided::admit: return "admit";
    case Decided::refuse: return "refuse";
    case Decided::refer: return "refer";
  }
  return "refer";
}

std::optional<Decided> decision_named(std::string_view text) {
  for (Decided d : {Decided::admit, Decided::refuse, Decided::refer})
    if (to_string(d) == text) return d;
  return std::nullopt;
}

LocalClock local_clock(const StationConfig& config) {
  const auto t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char date[16], time[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &local);
  std::strftime(time, sizeof time, "%H:%M:%S", &local);
  const auto day = config.post.pinned_date ? *config.post.pinned_date : *parse_iso_day(date);
  return {iso_day(day), time, day};
}

bool Desk::enter(Inspection& inspection, DeskState to) {
  if (!may_enter(inspection.state, to)) {
    spdlog::info("inspection={} stays {} (not {})", inspection.id, to_string(inspection.state), to_string(to));
    return false;
  }
  inspection.state = to;
  return true;
}

void Desk::begin(const std::string& device) {
  if (current_ && current_->state != DeskState::decided) c_.audit("system", "inspection.abandoned", std::to_string(current_->id), "");
  if (c_.cancel_chip) c_.cancel_chip();
  current_ = std::make_shared<Inspection>();
  current_->id = ++inspections_;
  viewed_by_.clear();
  current_->device = device;
  current_->direction = c_.config.post.default_direction;
  c_.changed("document-placed");
}

// Only a capture in progress is lost; a page already captured is read from its images.
void Desk::reader_lost() {
  if (!current_ || current_->state != DeskState::placed) return;
  no_document(*current_, DeskState::interrupted,
              "The document reader was disconnected during the scan. Place the document again when it is back.",
              {"desk.message.disconnected"});
}

void Desk::capture_failed(const std::string& why) {
  if (!current_ || current_->state != DeskState::placed) return;
  no_document(*current_, DeskState::unusable, "The reader could not capture the page (" + why + "). Place the document again.",
              {"desk.message.capture_failed", {{"why", why}}});
}

std::shared_ptr<Inspection> Desk::captured(const bridge::Capture& capture) {
  if (!current_ || current_->state != DeskState::placed) begin(capture.device);
  auto inspection = current_;
  // A light that could not be had (a lamp not switched): the checks needing it say so.
  for (const auto& problem : capture.problems) spdlog::warn("inspection={} capture: {}", inspection->id, problem);
  enter(*inspection, DeskState::reading);
  inspection->sample = capture.sample;
  inspection->images = capture.images;
  return inspection;
}

void Desk::no_document(Inspection& inspection, DeskState state, std::string message, Phrase phrase) {
  if (!enter(inspection, state)) return;
  inspection.message = std::move(message);
  inspection.message_phrase = std::move(phrase);
  if (&inspection == current_.get()) c_.changed(state == DeskState::interrupted ? "inspection-interrupted" : "document-read");
}

// A text MRZ reader (swipe, OCR) sent the lines: parsed as a typed MRZ is, checked as the reader's
// (its own recognition, no page images).
void Desk::text_read(const bridge::Capture& capture) {
  if (!current_ || current_->state != DeskState::placed) begin(capture.device);
  std::string text;
  for (const auto& line : capture.mrz_lines) {
    if (!text.empty()) text.push_back('\n');
    text.append(line);
  }
  mrz::ParseOptions options;
  options.as_of = clock().day;
  auto document = mrz::parse(text, options);
  auto& inspection = *current_;
  inspection.images.clear();
  if (!document.usable())
    return no_document(inspection, DeskState::no_mrz,
                       "The MRZ reader's text is not a machine-readable zone. Swipe the document again or type the MRZ.",
                       {"desk.message.reader_text_not_mrz"});
  inspection.read_status.clear();  // the reader's own OCR: no optical read result of ours
  inspection.portrait.clear();
  inspection.security = unmeasured_page(NotMeasured::text_only);
  inspection.document = std::move(document);
  inspection.source = MrzSource::TextReader;
  c_.changed("document-read");
  start_chip_read(inspection);
  run_checks(inspection);
  c_.changed("checks-done");
}

void Desk::page_read(const std::shared_ptr<Inspection>& inspection, const mrz::optical::ReadResult& result) {
  if (inspection != current_) return;  // a newer document was placed meanwhile
  using mrz::optical::ReadStatus;
  // The inspector typed the MRZ while the page was being read: what was typed stands, as it does
  // for a late chip result; a late read must neither replace it nor call it "not found".
  if (inspection->state != DeskState::reading) {
    spdlog::info("inspection={} optical read dropped: the MRZ was typed meanwhile", inspection->id);
    return;
  }
  inspection->read_status = std::string(mrz::optical::to_string(result.status));
  inspection->read_ms = result.elapsed_ms;
  inspection->orientation = result.orientation;
  spdlog::info("inspection={} read={} ms={:.0f}", inspection->id, inspection->read_status, result.elapsed_ms);
  if (result.status == ReadStatus::NotFound)
    return no_document(*inspection, DeskState::no_mrz,
                       "No machine-readable zone found. Type the MRZ, or the data page for a document without one.",
                       {"desk.message.no_mrz"});
  if (result.status == ReadStatus::Unusable)
    return no_document(*inspection, DeskState::unusable,
                       "The page image is unusable (" + result.message + "). Place the document again or type the MRZ.",
                       {"desk.message.unusable_image", {{"why", result.message}}});
  inspection->confidence = result.mrz.confidence;
  inspection->repaired = result.mrz.changes;
  inspection->uncertain_fields = result.mrz.uncertain_fields;
  inspection->document = result.mrz.document;
  inspection->source = MrzSource::Optical;
  c_.changed("document-read");
  start_chip_read(*inspection);
  run_checks(*inspection);
  c_.changed("checks-done");
}

// The chip is read with the keys of the MRZ now on the desk (read or typed); its checks wait
// ("reading") until chip_read().
void Desk::start_chip_read(Inspection& inspection) {
  inspection.chip = {};
  inspection.chip_face.clear();
  if (!c_.read_chip) return;
  try {
    auto information = emrtd::mrz_information(*inspection.document);
    inspection.chip.state = ChipFacts::State::reading;
    c_.read_chip(inspection.id, std::move(information));
  } catch (const std::invalid_argument&) {
    inspection.chip.state = ChipFacts::State::no_keys;
    if (c_.cancel_chip) c_.cancel_chip();
  }
}

void Desk::chip_read(std::uint64_t id, ChipFacts facts, std::vector<unsigned char> face) {
  // A decided, replaced or retyped inspection keeps what it had.
  if (!current_ || current_->id != id || current_->state != DeskState::inspected || current_->chip.state != ChipFacts::State::reading) {
    spdlog::info("chip inspection={} result dropped: the inspection moved on", id);
    return;
  }
  current_->chip = std::move(facts);
  current_->chip_face = std::move(face);
  run_checks(*current_);
  const bool read = current_->chip.state == ChipFacts::State::read;
  c_.audit("system", "chip.read", std::to_string(current_->id),
           std::string(to_string(current_->chip.state)) + (read ? " verdict=" + std::string(to_string(current_->verdict.overall)) : ""));
  c_.changed("chip-read");
}

void Desk::run_checks(Inspection& inspection) {
  const auto& doc = *inspection.document;
  InspectionFacts facts;
  facts.chip = inspection.chip;
  facts.security = inspection.security;
  facts.document = doc;
  facts.source = inspection.source;
  facts.optical_needs_review = inspection.read_status == "needs_review";
  facts.uncertain_fields = inspection.uncertain_fields;
  facts.crossing_date = clock().day;
  facts.direction = inspection.direction;
  facts.previous = c_.store.previous_movement(doc.document_number.value, doc.issuing_state.value);
  facts.document_hits = c_.watchlist.documents(doc.document_number.value, doc.issuing_state.value);
  facts.watchlist_persons = watchlist_persons();
  inspection.verdict = inspect(facts, c_.config.rules);
  enter(inspection, DeskState::inspected);
  inspection.message.clear();
  inspection.message_phrase = {};
  spdlog::info("inspection={} verdict={} alerts={}", inspection.id, to_string(inspection.verdict.overall),
               alert_count(inspection.verdict.checks));
}

// The listed persons, read again only when sync has applied a new watch-list version.
const std::vector<sync::WatchlistEntry>& Desk::watchlist_persons() {
  const auto version = c_.watchlist.version();
  if (!persons_version_ || *persons_version_ != version) {
    persons_ = c_.watchlist.persons();
    persons_version_ = version;
  }
  return persons_;
}

// Who saw the current traveller: one audit entry per person and inspection, the first time the
// person is sent its personal data (asked for, pushed to their page, or one of its images).
void Desk::viewed(const std::string& account) {
  if (!current_ || !current_->document) return;
  if (!viewed_by_.insert(account).second) return;
  const auto& d = *current_->document;
  c_.audit(account, "inspection.viewed", std::to_string(current_->id), d.issuing_state.value + " " + d.document_number.value);
}

std::optional<Refusal> Desk::busy() const {
  if (current_ && deciding_ == current_->id)  // the decision waits for the traveller's photo: it is taken as it was
    return Refusal{boost::beast::http::status::conflict, "this inspection is already being decided", {"error.decision.decided"}};
  return std::nullopt;
}

std::optional<Refusal> Desk::set_direction(Direction direction) {
  if (!current_ || current_->state != DeskState::inspected) return nothing_to_decide();
  if (auto refusal = busy()) return refusal;
  current_->direction = direction;
  run_checks(*current_);
  c_.changed("checks-done");
  return std::nullopt;
}

void Desk::typed(mrz::Document document, MrzSource source, std::optional<Direction> direction) {
  if (!current_ || current_->state == DeskState::decided) begin("manual");
  current_->source = source;
  current_->security = {};  // a typed MRZ has no page images to examine
  current_->document = std::move(document);
  current_->read_status.clear();
  current_->uncertain_fields.clear();
  current_->repaired.clear();
  current_->confidence.clear();
  if (direction) current_->direction = *direction;
  start_chip_read(*current_);
  run_checks(*current_);
  c_.changed("checks-done");
}

}  // namespace borderpost::station

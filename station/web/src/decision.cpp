// The inspector's decision at the desk: when it may be taken, its movement draft, and its
// recording (page images and the traveller's photo written durably before the movement commits).
#include "web/desk.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "sync/crypto.hpp"

namespace borderpost::station {
namespace {

namespace fs = std::filesystem;
using boost::beast::http::status;

// Writes a file and forces it to the disk before the movement that references it commits.
void write_durably(const fs::path& path, const std::vector<unsigned char>& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::runtime_error("cannot sync " + path.string());
}

}  // namespace

std::string image_extension(const std::vector<unsigned char>& bytes) {
  if (bytes.size() > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8) return ".jpg";
  if (bytes.size() > 4 && bytes[0] == 0x89 && bytes[1] == 'P') return ".png";
  return ".img";
}

Refusal Desk::nothing_to_decide() const {
  if (current_ && current_->state == DeskState::decided)
    return {status::conflict, "this inspection is already decided", {"error.decision.decided"}};
  return {status::conflict, "no inspection is waiting for a decision", {"error.decision.none"}};
}

// The database cannot take movements (store_problem says why): nothing is recorded until it can.
Refusal Desk::store_unavailable() const {
  const auto refused = not_done_because(said("The movement was NOT recorded.", "error.store.unavailable"), c_.store_problem);
  return {status::service_unavailable, refused.english, refused.phrase};
}

// Why a movement write failed, in words for the inspector; nothing of it was kept.
Refusal Desk::not_recorded(const std::exception& e) {
  const auto* db_error = dynamic_cast<const sync::sqlite::Error*>(&e);
  const int code = db_error ? (db_error->code & 0xff) : SQLITE_OK;
  const std::string what = e.what();
  if (code == SQLITE_FULL || what.find("No space left") != std::string::npos)
    return {status::insufficient_storage,
            "The station's disk is full: the movement was NOT recorded (" + what +
                "). Nothing was kept; free space or call the supervisor, then decide again.",
            {"error.store.full", {{"why", what}}}};
  if (code == SQLITE_READONLY || what.find("Read-only file system") != std::string::npos) {
    c_.store_problem = said("The station's disk has become read-only (" + what +
                                "): movements cannot be recorded. Make the disk writable, then restart the station.",
                            "error.store.became_read_only", {{"why", what}});
    return store_unavailable();
  }
  return {status::service_unavailable,
          "The movement was NOT recorded: " + what + ". Nothing was kept; call the supervisor, then decide again.",
          {"error.store.failed", {{"why", what}}}};
}

std::optional<Refusal> Desk::may_decide(const nlohmann::json& inspection) const {
  if (!current_ || current_->state != DeskState::inspected) return nothing_to_decide();
  if (auto refusal = busy()) return refusal;
  if (!inspection.is_null() && (!inspection.is_number_unsigned() || inspection.get<std::uint64_t>() != current_->id))
    return Refusal{status::conflict, "that inspection is no longer the current one", {"error.decision.stale"}};
  if (!c_.store_problem.empty()) return store_unavailable();
  return std::nullopt;
}

// The decision's movement draft; a refusal instead when it cannot be taken (asked's fields are
// already valid).
std::optional<Refusal> Desk::prepare(const DecisionAsked& asked, const std::string& inspector, Decision& out) {
  const auto direction = asked.direction.value_or(current_->direction);
  if (direction != current_->direction) {
    current_->direction = direction;
    run_checks(*current_);
  }
  if (current_->verdict.minor && asked.decision == Decided::admit && asked.companion.empty())
    return Refusal{status::unprocessable_entity,
                   "the traveller is a minor: record the accompanying adult or the travel authorisation (companion) before admitting",
                   {"error.decision.minor_companion"}};
  MovementDraft& draft = out.draft;
  draft.movement = movement_fields(*current_->document);
  draft.movement.direction = to_string(direction);
  draft.movement.decision = to_string(asked.decision);
  draft.movement.inspector = inspector;
  draft.movement.checks = check_summary(current_->verdict.checks, std::string(to_string(current_->verdict.overall)));
  draft.refusal_reason = asked.refusal_reason;
  draft.note = asked.note;
  draft.companion = asked.companion;
  draft.source = current_->source;
  draft.mrz_lines = current_->document->lines;
  out.clock = clock();
  out.inspector = inspector;
  draft.local_date = out.clock.date;
  draft.local_time = out.clock.time;
  draft.checks = current_->verdict.checks;
  return std::nullopt;
}

std::optional<Refusal> Desk::record(const std::shared_ptr<Inspection>& inspection, Decision d,
                                    const std::vector<unsigned char>* traveller_photo) {
  // Decided or abandoned meanwhile: nothing is recorded twice.
  if (inspection->state != DeskState::inspected) return nothing_to_decide();
  if (!c_.store_problem.empty()) return store_unavailable();
  std::vector<std::string> written;
  try {
    written = save_images(*inspection, d.clock, d.draft, traveller_photo);
    const auto stored = c_.store.record(d.draft, c_.outbox, sync::now(), d.inspector);
    inspection->movement = stored;
    enter(*inspection, DeskState::decided);
  } catch (const std::exception& e) {
    for (const auto& p : written) {
      std::error_code ignored;
      fs::remove(p, ignored);
    }
    spdlog::error("inspection={} movement not recorded: {}", inspection->id, e.what());
    return not_recorded(e);
  }
  const auto& movement = *inspection->movement;
  spdlog::info("inspection={} recorded seq={} direction={} decision={}", inspection->id, movement.seq, movement.draft.movement.direction,
               movement.draft.movement.decision);
  if (inspection == current_) c_.changed("movement-recorded");
  if (c_.recorded) c_.recorded();
  return std::nullopt;
}

// The page images go to files beside the database before the movement that names them commits.
// The traveller's photo goes beside them, as image "traveller".
std::vector<std::string> Desk::save_images(const Inspection& inspection, const LocalClock& clock, MovementDraft& draft,
                                           const std::vector<unsigned char>* traveller_photo) {
  std::vector<std::string> written;
  if (inspection.images.empty() && !traveller_photo) return written;
  const auto dir = fs::path(c_.config.data_dir) / "captures" / clock.date;
  fs::create_directories(dir);
  const auto stem = sync::random_uuid();
  auto save = [&](const std::string& light, const std::string& extension, const std::vector<unsigned char>& bytes) {
    const auto name = stem + "-" + light + extension;
    write_durably(dir / name, bytes);
    written.push_back((dir / name).string());
    draft.images.push_back({light, (fs::path("captures") / clock.date / name).string()});
  };
  try {
    for (const auto& image : inspection.images) save(std::string(to_string(image.light)), image_extension(image.encoded), image.encoded);
    if (traveller_photo) save("traveller", ".jpg", *traveller_photo);
  } catch (...) {
    for (const auto& p : written) fs::remove(p);
    throw;
  }
  return written;
}

}  // namespace borderpost::station

// libFuzzer target: the sync messages that arrive over the network, decoded from arbitrary bytes.
// The first byte picks the decoder: an upload batch (plain or gzip), the central office's answer,
// or a watch-list page. Besides crashes and sanitizer reports, it traps when a decoded message
// does not survive being encoded and decoded again, or when gunzip passes its output limit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sync/protocol.hpp"
#include "sync/watchlist.hpp"

namespace {

using namespace borderpost::sync;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

void batch(std::string_view body, bool gzipped) {
  std::string error;
  const auto decoded = decode_batch(body, gzipped, error);
  if (!decoded) {
    require(!error.empty());
    return;
  }
  const auto again = decode_batch(encode_batch(*decoded), true, error);
  require(again.has_value());
  require(again->station == decoded->station && again->signer_pem == decoded->signer_pem);
  require(again->records.size() == decoded->records.size());
  for (std::size_t i = 0; i < decoded->records.size(); ++i) {
    require(canonical_body(again->records[i]) == canonical_body(decoded->records[i]));
    require(again->records[i].signature == decoded->records[i].signature);
  }
}

void ack(std::string_view body) {
  std::string error;
  const auto decoded = decode_ack(body, error);
  if (!decoded) {
    require(!error.empty());
    return;
  }
  const auto again = decode_ack(encode_ack(*decoded), error);
  require(again.has_value());
  require(again->stored_through == decoded->stored_through && again->head_hash == decoded->head_hash &&
          again->accepted == decoded->accepted && again->duplicates == decoded->duplicates && again->error == decoded->error);
}

void watchlist_page(std::string_view body) {
  std::string error;
  const auto decoded = decode_watchlist_page(body, error);
  if (!decoded) {
    require(!error.empty());
    return;
  }
  const auto again = decode_watchlist_page(encode_watchlist_page(*decoded), error);
  require(again.has_value());
  require(again->latest == decoded->latest && again->changes.size() == decoded->changes.size());
  for (std::size_t i = 0; i < decoded->changes.size(); ++i) {
    require(again->changes[i].version == decoded->changes[i].version && again->changes[i].action == decoded->changes[i].action);
    require(again->changes[i].entry.id == decoded->changes[i].entry.id);
  }
}

void bounded_gunzip(std::string_view body) {
  constexpr std::size_t kLimit = 1 << 16;
  std::string out, error;
  if (gunzip(body, kLimit, out, error)) require(out.size() <= kLimit);
  else require(!error.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: batch(body, false); break;
    case 1: batch(body, true); break;
    case 2: ack(body); break;
    case 3: watchlist_page(body); break;
    default: bounded_gunzip(body); break;
  }
  return 0;
}

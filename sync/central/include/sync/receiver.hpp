// The central office's handling of a batch, free of HTTP: verify everything (station identity,
// signing certificate, shape, hash, chain, signature, sequence), then store all new records or none.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "sync/central_store.hpp"
#include "sync/protocol.hpp"
#include "sync/trust.hpp"

namespace borderpost::sync {

struct Reply {
  int status = 200;  // HTTP status: 200 stored, 400 malformed, 403 not this station's, 409 conflict or gap,
                     // 413 too large, 422 a record fails verification
  Ack ack;
};

class Receiver {
 public:
  Receiver(CentralStore& store, Trust& trust, std::size_t watchlist_page_size = kWatchlistPageSize)
      : store_(store), trust_(trust), watchlist_page_size_(watchlist_page_size) {}

  // `peer_station` is the CN of the client certificate the TLS handshake verified;
  // `reported_head` the post's newest record number, when it said (kOutboxHeadHeader).
  Reply receive(const std::string& peer_station, std::string_view body, bool gzipped,
                std::optional<std::uint64_t> reported_head = std::nullopt);
  Reply head(const std::string& peer_station);
  // Downstream: the watch-list changes after `since`, at most a page (encode_watchlist_page).
  std::string watchlist_page(std::uint64_t since);

 private:
  std::mutex& lock_for(const std::string& station);
  CentralStore& store_;
  Trust& trust_;
  std::size_t watchlist_page_size_;
  std::mutex locks_mutex_;
  std::map<std::string, std::unique_ptr<std::mutex>> locks_;  // one batch per station at a time
};

}  // namespace borderpost::sync

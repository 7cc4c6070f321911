// Slow work for a request (a password hash, a photo) runs on a worker; its continuation comes back
// on the event loop, where the station's state lives. A handler is given this, not the threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "web/api_support.hpp"

namespace borderpost::station {

// Called when a continuation threw: a request waiting on it must still get an answer.
using Unanswered = std::function<void(const std::string& why)>;

class Background {
 public:
  Background(boost::asio::io_context& loop, boost::asio::thread_pool& workers) : loop_(loop), workers_(workers) {}

  // `work` on a worker; `then` back on the loop with its result, or nullopt when the work failed
  // (logged). Nothing thrown escapes to the worker or the loop: a continuation that throws is
  // logged and `unanswered` tells the waiting request.
  template <class Work, class Then>
  void run(Work work, Then then, Unanswered unanswered = {}) {
    boost::asio::post(workers_, [this, work = std::move(work), then = std::move(then), unanswered = std::move(unanswered)]() mutable {
      auto result = std::make_shared<std::optional<decltype(work())>>();
      try {
        result->emplace(work());
      } catch (const std::exception& e) {
        spdlog::error("background work failed: {}", e.what());
      }
      boost::asio::post(loop_, [then = std::move(then), unanswered = std::move(unanswered), result]() mutable {
        try {
          then(std::move(*result));
        } catch (const std::exception& e) {
          spdlog::error("background work's answer failed: {}", e.what());
          if (!unanswered) return;
          try {
            unanswered(e.what());
          } catch (const std::exception& again) {
            spdlog::error("the request could not be answered either: {}", again.what());
          }
        }
      });
    });
  }

 private:
  boost::asio::io_context& loop_;
  boost::asio::thread_pool& workers_;
};

// The 500 answer for a request whose continuation failed.
inline Unanswered answer_failure(std::shared_ptr<HttpRequest> request, LocalServer::Respond respond, std::string what) {
  return [request = std::move(request), respond = std::move(respond), what = std::move(what)](const std::string& why) {
    respond(api::error(*request, boost::beast::http::status::internal_server_error, what + " could not be completed: " + why,
                       {"error.failed_midway", {{"why", why}}}));
  };
}

}  // namespace borderpost::station

#include "web/api_support.hpp"

namespace borderpost::station::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string query_value(const std::string& target, const std::string& key) {
  const auto q = target.find('?');
  if (q == std::string::npos) return "";
  std::size_t at = q + 1;
  while (at < target.size()) {
    auto end = target.find('&', at);
    if (end == std::string::npos) end = target.size();
    const std::string_view pair(target.data() + at, end - at);
    const auto eq = pair.find('=');
    if (percent_decoded(pair.substr(0, eq)) == key) return eq == std::string_view::npos ? "" : percent_decoded(pair.substr(eq + 1));
    at = end + 1;
  }
  return "";
}

HttpResponse bytes_response(const HttpRequest& request, const std::string& content_type, std::string bytes) {
  HttpResponse response{http::status::ok, request.version()};
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = std::move(bytes);
  return response;
}

}  // namespace borderpost::station::api

#include "web/web_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace borderpost::station {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

// Scripts and styles from the daemon only (no inline code), the event feed on the same origin,
// images from the API or made in the page; nothing may frame the pages.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

std::string web_content_type(const std::string& path) {
  const auto ext = fs::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  return "";
}

std::optional<HttpResponse> web_file(const HttpRequest& request, const std::string& web_dir, const std::string& path) {
  if (web_dir.empty() || path.empty() || path[0] != '/') return std::nullopt;
  const std::string relative = path == "/" ? "index.html" : path.substr(1);
  // Names of the pages' own files only: no parent steps, no hidden files, no odd characters.
  for (char c : relative)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' || c == '.')) return std::nullopt;
  if (relative.find("..") != std::string::npos || relative.find("/.") != std::string::npos || relative[0] == '.') return std::nullopt;
  const auto type = web_content_type(relative);
  if (type.empty()) return std::nullopt;
  const fs::path file = fs::path(web_dir) / relative;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) return std::nullopt;
  HttpResponse response{http::status::ok, request.version() ? request.version() : 11};
  response.set(http::field::content_type, type);
  response.set(http::field::cache_control, "no-cache");
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.body() = bytes.str();
  return response;
}

}  // namespace borderpost::station

#include "webdriver.hpp"

#include <fstream>
#include <stdexcept>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync/crypto.hpp"

namespace borderpost::test {
namespace {

using nlohmann::json;

constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";  // W3C WebDriver's element reference

unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("no free port for chromedriver");
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

Browser::Browser(const std::string& log_dir) {
  const auto port = free_port();
  driver_ = std::make_unique<BackgroundProcess>("/usr/bin/chromedriver", std::vector<std::string>{"--port=" + std::to_string(port)}, log_dir);
  http_ = std::make_unique<station::StationClient>(port);
  for (int i = 0; i < 200 && http_->get("/status").status != 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const json capabilities = {
      {"capabilities",
       {{"alwaysMatch",
         {{"goog:chromeOptions",
           {{"binary", "/usr/bin/chromium"},
            {"args", {"--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768", "--lang=es"}}}}}}}}};
  const auto answer = http_->request("POST", "/session", capabilities.dump());
  if (answer.status != 200) throw std::runtime_error("chromedriver did not open a session: " + answer.body.dump() + answer.error);
  session_ = answer.body["value"]["sessionId"].get<std::string>();
}

Browser::~Browser() {
  if (!session_.empty()) http_->request("DELETE", "/session/" + session_, "");
}

json Browser::call(const std::string& method, const std::string& path, const json& body) {
  const auto answer = http_->request(method, "/session/" + session_ + path, body.is_null() ? std::string() : body.dump());
  if (answer.status != 200) throw std::runtime_error("webdriver " + method + " " + path + ": " + answer.body.dump() + answer.error);
  return answer.body["value"];
}

void Browser::go(const std::string& url) { call("POST", "/url", {{"url", url}}); }

std::string Browser::element(const std::string& css) {
  return call("POST", "/element", {{"using", "css selector"}, {"value", css}})[kElementKey].get<std::string>();
}

void Browser::type(const std::string& css, const std::string& text) { call("POST", "/element/" + element(css) + "/value", {{"text", text}}); }

void Browser::click(const std::string& css) { call("POST", "/element/" + element(css) + "/click", json::object()); }

void Browser::press_key(const std::string& key) {
  const json actions = json::array({{{"type", "keyDown"}, {"value", key}}, {{"type", "keyUp"}, {"value", key}}});
  call("POST", "/actions", {{"actions", {{{"type", "key"}, {"id", "keyboard"}, {"actions", actions}}}}});
}

void Browser::press(const std::string& keys) {
  json actions = json::array();
  for (char c : keys) {
    actions.push_back({{"type", "keyDown"}, {"value", std::string(1, c)}});
    actions.push_back({{"type", "keyUp"}, {"value", std::string(1, c)}});
  }
  call("POST", "/actions", {{"actions", {{{"type", "key"}, {"id", "keyboard"}, {"actions", actions}}}}});
}

std::string Browser::text(const std::string& css) { return call("GET", "/element/" + element(css) + "/text").get<std::string>(); }

std::string Browser::attribute(const std::string& css, const std::string& name) {
  const auto value = call("GET", "/element/" + element(css) + "/attribute/" + name);
  return value.is_string() ? value.get<std::string>() : std::string();
}

json Browser::property(const std::string& css, const std::string& name) {
  return call("GET", "/element/" + element(css) + "/property/" + name);
}

json Browser::rect(const std::string& css) { return call("GET", "/element/" + element(css) + "/rect"); }

void Browser::clear(const std::string& css) { call("POST", "/element/" + element(css) + "/clear", json::object()); }

std::string Browser::print_pdf() {
  std::string pdf;
  const auto encoded = call("POST", "/print", {{"orientation", "portrait"}, {"background", false}});
  if (!sync::base64_decode(encoded.get<std::string>(), pdf)) throw std::runtime_error("the printed page is not base64");
  return pdf;
}

json Browser::run_async(const std::string& script) {
  return call("POST", "/execute/async", {{"script", "const done = arguments[arguments.length - 1];\n" + script}, {"args", json::array()}});
}

std::string Browser::url() { return call("GET", "/url").get<std::string>(); }

std::string Browser::wait_for_text(const std::string& css, const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string seen;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      seen = text(css);
      if (seen.find(needle) != std::string::npos) return seen;
    } catch (const std::runtime_error&) {
      // not on the page yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return seen;
}

void Browser::save_screenshot(const std::string& png_path) {
  std::string png;
  if (!sync::base64_decode(call("GET", "/screenshot").get<std::string>(), png)) throw std::runtime_error("the screenshot is not base64");
  std::ofstream(png_path, std::ios::binary) << png;
}

}  // namespace borderpost::test

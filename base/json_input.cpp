// SPDX-License-Identifier: EUPL-1.2
#include "base/json_input.h"

#include "base/durable_file.h"
#include "base/error.h"

namespace fplan {

namespace {
struct TooDeep { };
} // namespace

nlohmann::json parseJsonInput(std::string_view text, const std::string& origin, std::size_t maxDepth)
{
    using Json = nlohmann::json;
    auto limitDepth = [maxDepth](int depth, Json::parse_event_t event, Json&) {
        if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start)
            && static_cast<std::size_t>(depth) >= maxDepth)
            throw TooDeep {};
        return true;
    };
    try {
        return Json::parse(text, limitDepth);
    } catch (const TooDeep&) {
        throw Error(ErrorCode::BadInput,
            origin + ": nested deeper than " + std::to_string(maxDepth)
                + " levels of arrays and objects (limit)");
    } catch (const Json::out_of_range& e) {
        throw Error(ErrorCode::BadInput, origin + ": a number is out of range: " + e.what());
    } catch (const Json::exception& e) {
        throw Error(ErrorCode::BadInput, origin + ": not valid JSON: " + e.what());
    }
}

nlohmann::json readJsonFile(const std::filesystem::path& path, std::size_t limit, std::string_view what)
{
    return parseJsonInput(readFileBounded(path, limit, what), path.string());
}

} // namespace fplan

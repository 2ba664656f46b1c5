// SPDX-License-Identifier: EUPL-1.2
#include "core/op_exchange.h"

#include "base/error.h"
#include "core/store.h"
#include "crypto/hash.h"

#include <set>

namespace fplan {

Json exportOps(const Store& store, const std::optional<std::string>& caseId)
{
    if (caseId && !store.hasCase(*caseId))
        throw Error(ErrorCode::NotFound, "no case with id '" + *caseId + "' in this store");
    Json ops = Json::array();
    Json templates = Json::array();
    std::set<std::string> hashes;
    for (const Op& op : store.allOps(caseId)) {
        ops.push_back(toJson(op));
        if (op.kind != OpKind::Create || !op.value.is_object())
            continue;
        const std::string hash = op.value.value("template_hash", "");
        if (hash.empty() || !hashes.insert(hash).second)
            continue;
        if (const auto text = store.templateText(hash))
            templates.push_back({ { "hash", hash }, { "template_id", op.value.value("template_id", "") },
                { "version", op.value.value("template_version", "") }, { "text", *text } });
    }
    return { { "format", OpsPayloadFormat }, { "version", OpsPayloadVersion }, { "ops", std::move(ops) },
        { "templates", std::move(templates) } };
}

ImportResult importOps(Store& store, const Json& payload)
{
    if (!payload.is_object() || payload.value("format", "") != OpsPayloadFormat)
        throw Error(
            ErrorCode::BadInput, std::string("not an ops file (\"format\": \"") + OpsPayloadFormat + "\")");
    for (const auto& [key, v] : payload.items())
        if (key != "format" && key != "version" && key != "ops" && key != "templates")
            throw Error(ErrorCode::BadInput, "unknown member '" + key + "'");
    if (!payload.contains("version") || !payload.at("version").is_number_integer()
        || payload.at("version").get<int>() != OpsPayloadVersion)
        throw Error(ErrorCode::BadInput,
            "version: this program reads ops files of version " + std::to_string(OpsPayloadVersion));
    ImportResult result;
    OpReceiver receiver;
    receiver.caseOfDocument = [&](const std::string& docId) -> std::optional<std::string> {
        const auto info = store.document(docId);
        return info ? std::optional<std::string>(info->caseId) : std::nullopt;
    };
    ValidatedOps checked = validateOps(payload.contains("ops") ? payload.at("ops") : Json(), receiver);
    result.refused = std::move(checked.refused);

    struct Template {
        std::string hash, id, version, text;
    };
    std::vector<Template> templates;
    const Json& list = payload.contains("templates") ? payload.at("templates") : Json::array();
    if (!list.is_array()) {
        result.refused.push_back({ "", "templates: a JSON array" });
    } else {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Json& t = list[i];
            const std::string where = "templates[" + std::to_string(i) + "]";
            if (!t.is_object() || !t.contains("hash") || !t.contains("text") || !t.at("hash").is_string()
                || !t.at("text").is_string() || !t.value("template_id", Json()).is_string()
                || !t.value("version", Json()).is_string()) {
                result.refused.push_back({ "", where + ": {hash, template_id, version, text} strings" });
                continue;
            }
            Template tmpl { t.at("hash"), t.at("template_id"), t.at("version"), t.at("text") };
            if (crypto::sha256Hex(tmpl.text) != tmpl.hash) {
                result.refused.push_back({ "", where + ": the text does not have the hash " + tmpl.hash });
                continue;
            }
            templates.push_back(std::move(tmpl));
        }
    }
    if (!result.refused.empty())
        return result;
    store.transaction([&] {
        for (const auto& t : templates)
            store.putTemplate(t.hash, t.id, t.version, t.text);
        result.added = store.appendOps(checked.ops, OpOrigin::Received);
    });
    result.alreadyThere = checked.ops.size() - result.added;
    return result;
}

} // namespace fplan

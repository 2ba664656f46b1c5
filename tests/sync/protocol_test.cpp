// SPDX-License-Identifier: EUPL-1.2
#include "crypto/hash.h"
#include "sync/server/protocol.h"
#include "tests/sync/sync_fixtures.h"

#include <gtest/gtest.h>

namespace fplan::sync {
namespace {

int statusOf(const std::function<void()>& decode)
{
    try {
        decode();
    } catch (const ProtocolError& e) {
        return e.status;
    }
    return 0;
}

TEST(Protocol, PushDecodesOpsAndCheckedTemplates)
{
    const std::string xml = "<t/>";
    const auto r = decodePush(
        R"({"ops":[{"op_id":"a"},{"op_id":"b"}],"templates":{")" + crypto::sha256Hex(xml) + R"(":"<t/>"}})");
    ASSERT_EQ(r.ops.size(), 2u);
    // Read, and refused for what they lack, with their ids.
    EXPECT_EQ(std::get<OpRefusal>(r.ops[1].read).opId, "b");
    EXPECT_EQ(r.templates.begin()->second, xml);
    EXPECT_EQ(decodePush(R"({"ops":[]})").ops.size(), 0u);
}

TEST(Protocol, EachOpIsReadAsItsParsedTreeWouldBe)
{
    Op op = test::makeOp("op-1", "c1", "d1", OpKind::RowInsert, "plan.indsatser[r1]",
        { { "pos", "a0" }, { "extra", { 1, 2.5, nullptr, true, "x" } } }, "anna");
    op.parents = { "p1", "p2" };
    op.textMerge = true;
    Json withUnknown = toJson(op);
    withUnknown["later"] = { { "a", 1 } };
    const std::string ops[] = { toJson(op).dump(), withUnknown.dump(),
        R"({"op_id":"op-2","hlc":"soon","kind":"set"})", R"({"kind":"set"})", R"({"op_id":7})" };
    std::string body = R"({"ops":[)";
    for (const auto& text : ops)
        body += (&text == ops ? "" : ",") + text;
    const auto r = decodePush(body + "]}");
    ASSERT_EQ(r.ops.size(), std::size(ops));
    for (std::size_t i = 0; i < r.ops.size(); ++i) {
        const auto tree = readOp(Json::parse(ops[i]));
        ASSERT_EQ(r.ops[i].read.index(), tree.read.index()) << ops[i];
        EXPECT_EQ(r.ops[i].unknownMember, tree.unknownMember) << ops[i];
        if (const auto* read = std::get_if<Op>(&r.ops[i].read))
            EXPECT_EQ(toJson(*read), toJson(std::get<Op>(tree.read))) << ops[i];
        else
            EXPECT_EQ(std::get<OpRefusal>(r.ops[i].read).opId, std::get<OpRefusal>(tree.read).opId) << ops[i];
    }
    EXPECT_EQ(toJson(std::get<Op>(r.ops[0].read)), toJson(op));
    EXPECT_EQ(r.ops[1].unknownMember, "later");
    EXPECT_EQ(std::get<OpRefusal>(r.ops[2].read).reason, "operation: 'hlc' must be a whole number from 0");
    EXPECT_EQ(std::get<OpRefusal>(r.ops[3].read).reason, "operation: missing 'op_id'");
    EXPECT_EQ(std::get<OpRefusal>(r.ops[4].read).opId, "");
    // A repeated "ops" counts as the parsed tree's would: the last one.
    const auto repeated = decodePush(R"({"ops":[{"op_id":"a"},{"op_id":"b"}],"ops":[{"op_id":"c"}]})");
    ASSERT_EQ(repeated.ops.size(), 1u);
    EXPECT_EQ(std::get<OpRefusal>(repeated.ops[0].read).opId, "c");
    EXPECT_EQ(statusOf([] { decodePush(R"({"ops":[{"op_id":"a"}],"ops":3})"); }), 400);
    // Not JSON, or not an object, whatever comes first.
    EXPECT_EQ(statusOf([] { decodePush(R"({"x":1,"ops":[)"); }), 400);
    EXPECT_EQ(statusOf([] { decodePush(R"([{"ops":[]}])"); }), 400);
    EXPECT_EQ(statusOf([] { decodePush(R"({"ops":[]} {})"); }), 400);
}

TEST(Protocol, EachOpIsKeptAsItWasSent)
{
    const std::string first = R"({ "op_id" : "a",
  "value": {"x": [1, {"y": "}:]"}]} })";
    const std::string second = R"({"op_id":"b","value":"\"{:","path":"ends in a backslash\\"})";
    const auto r = decodePush(R"({"templates": {}, "ops" : [ )" + first + " ,\n" + second + "]}");
    ASSERT_EQ(r.opTexts.size(), 2u);
    EXPECT_EQ(r.opTexts[0], first);
    EXPECT_EQ(r.opTexts[1], second);
    // The parser ends the body at a NUL byte: what follows is not an op that was checked.
    std::string afterNul = R"({"ops":[{"op_id":"d"}]})";
    afterNul += '\0';
    afterNul += R"({"ops":[{"op_id":"e"}]})";
    const auto cut = decodePush(afterNul);
    ASSERT_EQ(cut.opTexts.size(), 1u);
    EXPECT_EQ(cut.opTexts[0], R"({"op_id":"d"})");
    // An "ops" key written with an escape is not found in the bytes: the parsed ops are written out.
    const auto escaped = decodePush(R"({"\u006fps":[{"op_id" : "c"}]})");
    ASSERT_EQ(escaped.opTexts.size(), 1u);
    EXPECT_EQ(escaped.opTexts[0], R"({"op_id":"c"})");
}

TEST(Protocol, AnOpNamingAMemberTwiceIsRefused)
{
    // The parser keeps one of the two; the stored text would keep both.
    for (const std::string op : { R"({"op_id":"a","path":"x","path":"y"})",
             R"({"op_id":"a","value":{"pos":"a","pos":"b"}})", R"({"op_id":"a","value":[{"k":1,"k":1}]})" }) {
        try {
            decodePush(R"({"ops":[{"op_id":"ok"},)" + op + "]}");
            FAIL() << "no error for " << op;
        } catch (const ProtocolError& e) {
            EXPECT_EQ(e.status, 400) << op;
            EXPECT_EQ(e.code, "bad_op") << op;
            EXPECT_EQ(e.details["index"], 1) << op;
            EXPECT_EQ(e.details["op_id"], "a") << op;
        }
    }
}

TEST(Protocol, PushRefusalsCarryTheirStatusAndCode)
{
    EXPECT_EQ(statusOf([] { decodePush("nope"); }), 400);
    EXPECT_EQ(statusOf([] { decodePush(R"({"ops":[],"x":1})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePush(R"({"templates":{}})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePush(R"({"ops":[],"templates":{"ab":"<t/>"}})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePush(R"({"ops":[],"templates":{"ab":3}})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePush(std::string(MaxBodyBytes + 1, ' ')); }), 413);
    std::string many = R"({"ops":[)";
    for (std::size_t i = 0; i <= MaxOpsPerPush; ++i)
        many += i ? ",{}" : "{}";
    EXPECT_EQ(statusOf([&] { decodePush(many + "]}"); }), 413);
    try {
        decodePush(R"({"ops":[{}, 7]})");
        FAIL() << "no error";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.code, "bad_op");
        EXPECT_EQ(e.details["index"], 1);
    }
}

TEST(Protocol, DeepNestingIsRefusedBeforeParsing)
{
    const std::string deep = std::string(MaxJsonDepth + 1, '[') + std::string(MaxJsonDepth + 1, ']');
    EXPECT_EQ(statusOf([&] { parseJsonBody(deep); }), 400);
    // Brackets inside strings do not count.
    EXPECT_EQ(statusOf([] { parseJsonBody(R"({"a":")" + std::string(200, '[') + R"("})"); }), 0);
    // An escaped quote does not end the string.
    EXPECT_EQ(statusOf([] { parseJsonBody(R"({"a":"\"[[[[","b":1})"); }), 0);
}

TEST(Protocol, LoginNeedsExactlyUserAndPassword)
{
    const auto r = decodeLogin(R"({"user":"anna","password":"pw"})");
    EXPECT_EQ(r.user, "anna");
    EXPECT_EQ(r.password, "pw");
    EXPECT_EQ(statusOf([] { decodeLogin(R"({"user":"","password":"pw"})"); }), 400);
    EXPECT_EQ(statusOf([] { decodeLogin(R"({"user":"a","password":1})"); }), 400);
    EXPECT_EQ(statusOf([] { decodeLogin(R"({"user":"a","password":"p","otp":1})"); }), 400);
}

TEST(Protocol, PresenceFramesAreExactAndBounded)
{
    const auto here = decodePresence(R"({"presence":{"case":"c1","doc":"d1","section":"familiens_maal"}})");
    EXPECT_EQ(here.caseId, "c1");
    EXPECT_EQ(here.doc, "d1");
    EXPECT_EQ(here.section, "familiens_maal");
    EXPECT_EQ(decodePresence(R"({"presence":{"case":"c1","doc":"d1"}})").section, "");
    EXPECT_EQ(decodePresence(R"({"presence":null})").caseId, "");
    EXPECT_EQ(statusOf([] { decodePresence(R"({"presence":{"case":"c1"}})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePresence(R"({"presence":{"case":"","doc":"d"}})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePresence(R"({"presence":{"case":"c","doc":"d","who":"x"}})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePresence(R"({"presence":{"case":"c","doc":"d"},"x":1})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePresence(R"({"presence":1})"); }), 400);
    EXPECT_EQ(statusOf([] { decodePresence("[]"); }), 400);
    const std::string longId(MaxPresenceIdBytes + 1, 'x');
    EXPECT_EQ(
        statusOf([&] { decodePresence(R"({"presence":{"case":")" + longId + R"(","doc":"d"}})"); }), 400);
}

TEST(Protocol, PullQuery)
{
    EXPECT_EQ(decodePullQuery("").after, 0);
    EXPECT_EQ(decodePullQuery("").limit, DefaultPullLimit);
    const auto r = decodePullQuery("after=42&limit=7");
    EXPECT_EQ(r.after, 42);
    EXPECT_EQ(r.limit, 7);
    for (const char* bad :
        { "after=", "after=-1", "after=1.5", "limit=0", "limit=5001", "after=1&after=1", "x=1", "after" })
        EXPECT_EQ(statusOf([&] { decodePullQuery(bad); }), 400) << bad;
}

TEST(Protocol, ErrorBodyIsJsonEvenForBrokenText)
{
    const auto body = errorBody(ProtocolError(400, "bad_op", "op \xff broken", { { "index", 3 } }));
    const auto json = nlohmann::json::parse(body);
    EXPECT_EQ(json["error"], "bad_op");
    EXPECT_EQ(json["index"], 3);
}

} // namespace
} // namespace fplan::sync

// SPDX-License-Identifier: EUPL-1.2
// The one check of ops from elsewhere, and the fold that never throws on what it accepted.
#include "core/document.h"
#include "core/op_validation.h"

#include <gtest/gtest.h>

#include <map>

using namespace fplan;

namespace {

Json goodSet()
{
    return { { "op_id", "0190a1b2-0000-7000-8000-000000000001" }, { "case_id", "case-1" },
        { "doc_id", "doc-1" }, { "kind", "set" }, { "path", "om_planen.dato" }, { "value", "2026-03-12" },
        { "author", "Jens" }, { "device", "dev-1" }, { "hlc", physicalHlcNow() },
        { "parents", Json::array() }, { "format", 1 } };
}

std::string refusal(const Json& j, const OpReceiver& receiver = {})
{
    const ValidatedOp v = validateOp(j, receiver);
    const auto* r = std::get_if<OpRefusal>(&v);
    return r ? r->reason : std::string();
}

Json with(Json j, const char* member, Json value)
{
    j[member] = std::move(value);
    return j;
}

} // namespace

TEST(OpValidation, AcceptsAWellFormedOpOfEveryKind)
{
    EXPECT_EQ("", refusal(goodSet()));
    Json insert = with(with(goodSet(), "kind", "row_insert"), "path", "indsatser[r1]");
    insert["value"] = { { "pos", "i" } };
    EXPECT_EQ("", refusal(insert));
    Json del = with(with(goodSet(), "kind", "row_delete"), "path", "indsatser[r1]");
    del["value"] = nullptr;
    EXPECT_EQ("", refusal(del));
    Json fin = with(with(goodSet(), "kind", "finalize"), "path", "");
    fin["value"] = { { "values", { { "a", 1 } } }, { "number", 2 } };
    EXPECT_EQ("", refusal(fin));
    Json create = with(with(goodSet(), "kind", "create"), "path", "");
    create["value"] = { { "template_id", "handleplan" }, { "template_version", "3" },
        { "template_hash", std::string(64, 'a') } };
    EXPECT_EQ("", refusal(create));
    const ValidatedOp v = validateOp(goodSet(), {});
    ASSERT_TRUE(std::holds_alternative<Op>(v));
    EXPECT_EQ("om_planen.dato", std::get<Op>(v).path);
}

TEST(OpValidation, RefusesBadPathsAndKindsThatDoNotFitThem)
{
    EXPECT_NE("", refusal(with(goodSet(), "path", "")));
    EXPECT_NE("", refusal(with(goodSet(), "path", "a..b")));
    EXPECT_NE("", refusal(with(goodSet(), "path", "t[r r].c")));
    EXPECT_NE("", refusal(with(goodSet(), "path", "t[r]"))); // a set op on a row
    EXPECT_NE("", refusal(with(goodSet(), "path", std::string(600, 'a'))));
    EXPECT_NE("", refusal(with(with(goodSet(), "kind", "row_insert"), "path", "felt")));
    EXPECT_NE("", refusal(with(with(goodSet(), "kind", "finalize"), "path", "felt")));
    EXPECT_NE("", refusal(with(goodSet(), "path", "felt\n")));
}

TEST(OpValidation, RefusesValueShapesTheFoldCannotUse)
{
    Json insert = with(with(goodSet(), "kind", "row_insert"), "path", "t[r]");
    EXPECT_NE("", refusal(with(insert, "value", { { "pos", "" } })));
    EXPECT_NE("", refusal(with(insert, "value", { { "pos", "A!" } })));
    EXPECT_NE("", refusal(with(insert, "value", 3)));
    Json fin = with(with(goodSet(), "kind", "finalize"), "path", "");
    EXPECT_NE("", refusal(with(fin, "value", "x")));
    EXPECT_NE("", refusal(with(fin, "value", { { "values", { { "t[r].c", 1 } } } })));
    EXPECT_NE("", refusal(with(fin, "value", { { "values", Json::object() }, { "number", 0 } })));
    Json create = with(with(goodSet(), "kind", "create"), "path", "");
    EXPECT_NE("", refusal(with(create, "value", { { "template_version", "1" } })));
    EXPECT_NE("",
        refusal(with(create, "value",
            { { "template_id", "x" }, { "template_version", "1" }, { "template_hash", "zz" } })));
    EXPECT_NE("", refusal(with(with(goodSet(), "text_merge", true), "value", 3)));
    EXPECT_NE("", refusal(with(goodSet(), "value", std::string(MaxValueBytes + 1, 'x'))));
    EXPECT_NE("", refusal(with(goodSet(), "surprise", 1)));
    EXPECT_NE("", refusal(with(goodSet(), "op_id", "")));
    EXPECT_NE("", refusal(with(goodSet(), "parents", { "not an id" })));
    EXPECT_NE("", refusal(with(goodSet(), "hlc", "soon")));
    EXPECT_NE("", refusal(Json::array()));
}

TEST(OpValidation, AValueIsMeasuredAsItIsWritten)
{
    // The limit is on the value written as JSON: quotes and escapes count.
    EXPECT_EQ("", refusal(with(goodSet(), "value", std::string(MaxValueBytes - 2, 'x'))));
    EXPECT_NE("", refusal(with(goodSet(), "value", std::string(MaxValueBytes - 1, 'x'))));
    const std::size_t escapes = (MaxValueBytes - 2) / 6; // each \u0001 is 6 bytes written
    EXPECT_EQ("", refusal(with(goodSet(), "value", std::string(escapes, '\x01'))));
    EXPECT_NE("", refusal(with(goodSet(), "value", std::string(escapes + 1, '\x01'))));
    Json nested = Json::array();
    for (int i = 0; i < 2000; ++i)
        nested.push_back({ { "k", std::string(100, '"') } }); // 208 bytes each, and a comma
    EXPECT_NE("", refusal(with(goodSet(), "value", nested)));
    nested.erase(nested.begin() + 1200, nested.end());
    EXPECT_EQ("", refusal(with(goodSet(), "value", nested)));
}

TEST(OpValidation, RefusesAClockMoreThanTheSkewAhead)
{
    const std::uint64_t now = physicalHlcNow();
    OpReceiver receiver;
    receiver.nowHlc = now;
    EXPECT_EQ("", refusal(with(goodSet(), "hlc", now + ((MaxClockSkewMs - 1000) << 16)), receiver));
    const std::string reason
        = refusal(with(goodSet(), "hlc", now + ((MaxClockSkewMs + 1000) << 16)), receiver);
    EXPECT_NE(std::string::npos, reason.find("ahead of this clock")) << reason;
    EXPECT_NE("", refusal(with(goodSet(), "hlc", 0), receiver));
}

TEST(OpValidation, TiesADocumentToOneCase)
{
    OpReceiver receiver;
    receiver.caseOfDocument = [](const std::string& docId) -> std::optional<std::string> {
        return docId == "doc-1" ? std::optional<std::string>("case-1") : std::nullopt;
    };
    EXPECT_EQ("", refusal(goodSet(), receiver));
    EXPECT_NE(std::string::npos,
        refusal(with(goodSet(), "case_id", "case-2"), receiver).find("belongs to case case-1"));

    // Within one batch, a create op binds its document.
    Json create = with(with(with(goodSet(), "kind", "create"), "path", ""), "doc_id", "doc-9");
    create["op_id"] = "c1";
    create["value"] = { { "template_id", "handleplan" }, { "template_version", "1" } };
    Json other = with(with(goodSet(), "doc_id", "doc-9"), "case_id", "case-7");
    other["op_id"] = "o1";
    const ValidatedOps batch = validateOps(Json::array({ create, other }), {});
    ASSERT_EQ(1u, batch.ops.size());
    ASSERT_EQ(1u, batch.refused.size());
    EXPECT_EQ("o1", batch.refused[0].opId);
    EXPECT_EQ("o1", toJson(batch.refused[0]).at("op_id"));
}

// A receiver's lookup is a query (on the server, in a store): a batch asks it once per document,
// and every op of that document still gets the answer.
TEST(OpValidation, AsksTheReceiverOncePerDocumentOfABatch)
{
    std::map<std::string, int> asked;
    OpReceiver receiver;
    receiver.caseOfDocument = [&](const std::string& docId) -> std::optional<std::string> {
        ++asked[docId];
        return docId == "doc-1" ? std::optional<std::string>("case-1") : std::nullopt;
    };
    Json batch = Json::array();
    for (int i = 0; i < 5; ++i) {
        Json op = with(goodSet(), "op_id", "a" + std::to_string(i));
        batch.push_back(i == 3 ? with(op, "case_id", "case-2") : op);
        batch.push_back(with(with(goodSet(), "op_id", "b" + std::to_string(i)), "doc_id", "doc-2"));
    }
    const ValidatedOps checked = validateOps(batch, receiver);
    EXPECT_EQ((std::map<std::string, int> { { "doc-1", 1 }, { "doc-2", 1 } }), asked);
    EXPECT_EQ(9u, checked.ops.size());
    ASSERT_EQ(1u, checked.refused.size());
    EXPECT_EQ("a3", checked.refused[0].opId);
    EXPECT_NE(std::string::npos, checked.refused[0].reason.find("belongs to case case-1"));
}

TEST(OpValidation, KeepsANewerProgramsOpAndTheFoldSkipsIt)
{
    Json newer = with(with(goodSet(), "kind", "row_split"), "value", { { "anything", true } });
    newer["extra"] = 1;
    newer["op_id"] = "u1";
    const ValidatedOp v = validateOp(newer, {});
    ASSERT_TRUE(std::holds_alternative<Op>(v));
    const Op unknown = std::get<Op>(v);
    EXPECT_EQ(OpKind::Unknown, unknown.kind);
    EXPECT_EQ("row_split", toJson(unknown).at("kind")); // passed on as it came

    Json future = with(with(goodSet(), "format", 2), "op_id", "f2");
    const ValidatedOp f = validateOp(future, {});
    ASSERT_TRUE(std::holds_alternative<Op>(f));

    const Op ok = std::get<Op>(validateOp(goodSet(), {}));
    const std::vector<Op> ops = { unknown, std::get<Op>(f), ok };
    const DocumentState state = DocumentState::fold(ops);
    EXPECT_EQ("2026-03-12", state.value("om_planen.dato"));
    ASSERT_EQ(2u, state.skipped().size());
    EXPECT_NE(std::string::npos, state.skipped()[1].reason.find("row_split"));
    EXPECT_NE(std::string::npos, state.skipped()[0].reason.find("newer"));
}

// Gap 6: an op with path "" or a kind that does not fit its path made every fold throw.
TEST(OpValidation, AMalformedStoredOpIsSkippedNotThrown)
{
    Op bad;
    bad.id = "bad";
    bad.caseId = "c";
    bad.docId = "d";
    bad.kind = OpKind::Set;
    bad.path = "";
    bad.hlc = 1;
    Op wrongShape = bad;
    wrongShape.id = "bad2";
    wrongShape.kind = OpKind::RowInsert;
    wrongShape.path = "felt";
    Op good = bad;
    good.id = "good";
    good.path = "felt";
    good.value = "ja";
    const std::vector<Op> ops = { bad, wrongShape, good };
    DocumentState state;
    EXPECT_NO_THROW(state = DocumentState::fold(ops));
    EXPECT_EQ("ja", state.value("felt"));
    EXPECT_EQ(2u, state.skipped().size());
    EXPECT_NO_THROW(state.values());
}

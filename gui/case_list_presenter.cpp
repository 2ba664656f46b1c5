// SPDX-License-Identifier: EUPL-1.2
#include "gui/case_list_presenter.h"

#include "gui/i18n.h"

#include <algorithm>
#include <sstream>

namespace fplan::gui {

namespace {

bool digitsAndHyphens(const std::string& word)
{
    return !word.empty() && word.find_first_not_of("0123456789-") == std::string::npos;
}

std::string withoutHyphens(std::string word)
{
    word.erase(std::remove(word.begin(), word.end(), '-'), word.end());
    return word;
}

} // namespace

std::string lowerCaseText(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out += static_cast<char>(std::tolower(c));
        } else if (c == 0xC3 && i + 1 < text.size()) {
            // U+00C0..U+00DE (except U+00D7 ×) are the capitals of U+00E0..U+00FE.
            auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9E && next != 0x97)
                next = static_cast<unsigned char>(next + 0x20);
            out += static_cast<char>(c);
            out += static_cast<char>(next);
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string danishSortKey(const std::string& text)
{
    std::string key = lowerCaseText(text);
    // UTF-8 å (C3 A5) sorts before æ (C3 A6) and ø (C3 B8) by bytes; Danish puts it after both.
    for (std::size_t i = 0; i + 1 < key.size(); ++i)
        if (static_cast<unsigned char>(key[i]) == 0xC3 && static_cast<unsigned char>(key[i + 1]) == 0xA5)
            key[i + 1] = static_cast<char>(0xB9);
    return key;
}

bool naturalLess(const std::string& a, const std::string& b)
{
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && digit(a[ei]))
                ++ei;
            while (ej < b.size() && digit(b[ej]))
                ++ej;
            std::size_t si = i, sj = j; // leading zeros do not count
            while (si + 1 < ei && a[si] == '0')
                ++si;
            while (sj + 1 < ej && b[sj] == '0')
                ++sj;
            if (ei - si != ej - sj)
                return ei - si < ej - sj;
            if (const int c = a.compare(si, ei - si, b, sj, ej - sj); c != 0)
                return c < 0;
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j])
            return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

bool caseMatches(const CaseSummary& summary, const std::string& query)
{
    std::istringstream words(searchKey(query));
    std::string word;
    while (words >> word) {
        if (summary.searchText.find(word) != std::string::npos)
            continue;
        if (digitsAndHyphens(word) && summary.searchText.find(withoutHyphens(word)) != std::string::npos)
            continue;
        return false;
    }
    return true;
}

void CaseListPresenter::setCases(std::vector<CaseSummary> cases)
{
    m_cases = std::move(cases);
    // Folded again: a store written by an older version kept its search text only lower-cased.
    for (auto& c : m_cases)
        c.searchText = searchKey(c.searchText);
    refresh();
}

void CaseListPresenter::setQuery(const std::string& query)
{
    m_query = query;
    refresh();
}

void CaseListPresenter::sortBy(CaseColumn column)
{
    m_ascending = column == m_sortColumn ? !m_ascending : true;
    m_sortColumn = column;
    refresh();
}

std::string CaseListPresenter::cell(std::size_t index, CaseColumn column) const
{
    const auto& c = row(index);
    switch (column) {
    case CaseColumn::Title:
        return c.title;
    case CaseColumn::JournalNumber:
        return c.journalNumber;
    case CaseColumn::Kle:
        return c.kle;
    }
    return {};
}

std::string CaseListPresenter::columnLabel(CaseColumn column)
{
    switch (column) {
    case CaseColumn::Title:
        return tr("Sag");
    case CaseColumn::JournalNumber:
        return tr("Journalnummer");
    case CaseColumn::Kle:
        return tr("KLE");
    }
    return {};
}

long CaseListPresenter::indexOf(const std::string& caseId) const
{
    for (std::size_t i = 0; i < m_visible.size(); ++i)
        if (m_cases[m_visible[i]].id == caseId)
            return static_cast<long>(i);
    return -1;
}

std::string CaseListPresenter::statusText() const
{
    if (m_visible.size() == m_cases.size())
        return format(trn("{0} sag", "{0} sager", m_cases.size()), { std::to_string(m_cases.size()) });
    return format(trn("{0} af {1} sag", "{0} af {1} sager", m_cases.size()),
        { std::to_string(m_visible.size()), std::to_string(m_cases.size()) });
}

void CaseListPresenter::refresh()
{
    m_visible.clear();
    for (std::size_t i = 0; i < m_cases.size(); ++i)
        if (caseMatches(m_cases[i], m_query))
            m_visible.push_back(i);
    std::vector<std::string> keys(m_cases.size());
    for (const auto i : m_visible) {
        const auto& c = m_cases[i];
        keys[i] = danishSortKey(m_sortColumn == CaseColumn::Title ? c.title
                : m_sortColumn == CaseColumn::JournalNumber       ? c.journalNumber
                                                                  : c.kle);
    }
    std::stable_sort(m_visible.begin(), m_visible.end(), [&](std::size_t a, std::size_t b) {
        if (keys[a] != keys[b])
            return m_ascending ? naturalLess(keys[a], keys[b]) : naturalLess(keys[b], keys[a]);
        return m_cases[a].id < m_cases[b].id;
    });
}

} // namespace fplan::gui

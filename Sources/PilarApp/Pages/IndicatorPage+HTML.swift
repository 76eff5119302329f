import Vapor

/// The indicator page's markup, written in Swift (it was `indicator.leaf`): the page agencies use
/// most, where Leaf's interpreter was a third of the request's time. Every value goes through
/// `Markup`'s escaping; `IndicatorPageHTMLTests` feeds it hostile text.
extension IndicatorPage {
    func response(_ req: Request, status: HTTPStatus = .ok) -> Response {
        req.html(page, body(), status: status)
    }

    private var t: Catalog.Strings { page.t }

    private static func options(_ list: [Option]) -> Markup {
        Markup.each(list) { "<option value=\"\($0.value)\"\(if: $0.selected, " selected")>\($0.label)</option>" }
    }

    private func fieldError(_ errors: [String: String], _ key: String) -> Markup {
        guard let message = errors[key] else { return "" }
        return "<p class=\"field-error\">\(message)</p>\n"
    }

    func body() -> Markup {
        var m: Markup = """
            <nav class="crumbs small"><a href="\(page.links.home)">\(t["nav_home"])</a> › \(t["indicator_cycle"]) \(year) › \(group)</nav>
            <div class="page-head">
              <h1><span class="code">\(code)</span> \(title)</h1>
              <p class="meta">
                <span class="chip status-\(statusKey)">\(status)</span>
            """
        if let pillar { m += "<span>\(pillar)</span>" }
        if let lead { m += "<span>\(t["indicator_lead"]): <strong>\(lead)</strong></span>" }
        if let contributors { m += "<span>\(t["indicator_contributors"]): \(contributors)</span>" }
        if let deadline { m += "<span>\(t["indicator_deadline"]): <strong>\(deadline)</strong></span>" }
        m += "\n  </p>\n</div>\n"
        if let saved { m += "<p class=\"notice\" role=\"status\">\(saved)</p>\n" }
        if let problem = errors["status"] { m += "<p class=\"alert\" role=\"alert\">\(problem)</p>\n" }
        if conflict {
            m += "<div class=\"alert\" role=\"alert\"><strong>\(t["indicator_conflict_title"])</strong> \(t["indicator_conflict_body"])</div>\n"
        }
        if returned, let verifiedNote {
            m += "<div class=\"alert\" role=\"alert\"><strong>\(t["indicator_returned"]):</strong> \(verifiedNote)</div>\n"
        }
        m += """
            <div class="grid2">
            <section class="card">
              <h2>\(t["indicator_values"])</h2>
              <table class="compact values">
                <thead><tr><th>\(t["layer_target"])</th><th>\(t["layer_self"])</th><th>\(t["layer_verified"])</th><th>\(t["layer_official"])</th></tr></thead>
                <tbody>\(Markup.each(values) { row in "<tr>\(Markup.each(row.cells) { "<td class=\"big\">\($0)</td>" })</tr>" })</tbody>
              </table>

            """
        if let explanation { m += "  <h3>\(t["indicator_explanation"])</h3><p>\(explanation)</p>\n" }
        if !canAnswer, let justification {
            m += "  <h3>\(t["indicator_justification"])</h3><p class=\"prewrap\">\(justification)</p>\n"
        }
        if !returned, let verifiedNote {
            m += "  <h3>\(t["indicator_verified_note"])</h3><p class=\"prewrap\">\(verifiedNote)</p>\n"
        }
        m += "</section>\n<section class=\"card\">\n"
        m += answerForms()
        m += "</section>\n</div>\n"
        m += evidenceSection()
        m += rubricSection()
        m += historySection()
        return m
    }

    private func answerForms() -> Markup {
        var m = Markup()
        if canAnswer {
            m += """
                  <h2>\(t["indicator_answer"])</h2>
                  <form method="post" action="\(action)" class="form">
                    <input type="hidden" name="_csrf" value="\(page.csrf)">
                    <input type="hidden" name="revision" value="\(revision)">
                    <label for="level">\(t["indicator_self_level"])</label>
                    <select id="level" name="level">\(Self.options(levelOptions))</select>
                    \(fieldError(errors, "level"))<label for="justification">\(t["indicator_justification"])</label>
                    <textarea id="justification" name="justification" rows="5">\(form.justification)</textarea>
                    \(fieldError(errors, "justification"))
                """
            if let evidenceWarning {
                m += """
                        <div class="warning" role="alert">\(evidenceWarning)
                          <label class="check"><input type="checkbox" name="confirm_no_evidence" value="1"> \(t["indicator_no_evidence_confirm"])</label>
                        </div>

                    """
            }
            m += """
                    <div class="buttons">
                      <button type="submit" name="action" value="save" class="secondary">\(t["indicator_save_draft"])</button>
                      <button type="submit" name="action" value="submit" class="primary">\(t["indicator_submit"])</button>
                    </div>
                  </form>

                """
        }
        if canReview {
            m += """
                  <h2>\(t["indicator_review"])</h2>
                  <form method="post" action="\(action)" class="form">
                    <input type="hidden" name="_csrf" value="\(page.csrf)">
                    <input type="hidden" name="revision" value="\(revision)">
                    <label for="verified_level">\(t["indicator_verified_level"])</label>
                    <select id="verified_level" name="verified_level">\(Self.options(verifiedOptions))</select>
                    \(fieldError(errors, "verified_level"))<label for="note">\(t["indicator_note"])</label>
                    <textarea id="note" name="note" rows="4">\(form.note)</textarea>
                    \(fieldError(errors, "note"))<div class="buttons">
                      <button type="submit" name="action" value="return" class="secondary">\(t["indicator_return"])</button>
                      <button type="submit" name="action" value="verify" class="primary">\(t["indicator_verify"])</button>
                    </div>
                  </form>

                """
        }
        if !canAnswer && !canReview {
            m += "  <h2>\(t["indicator_answer"])</h2><p class=\"muted\">\(t["indicator_read_only"])</p>\n"
        }
        return m
    }

    private func evidenceSection() -> Markup {
        var m: Markup = "<section class=\"card\" id=\"evidence\">\n  <h2>\(t["evidence_title"])"
        if let supportedLevel {
            m += " <span class=\"small muted\">· \(t["evidence_supported_up_to"]) \(supportedLevel)</span>"
        }
        m += "</h2>\n"
        m += fieldError(evidenceErrors, "attach")
        m += fieldError(evidenceErrors, "version")
        if evidence.isEmpty {
            m += "  <p class=\"muted\">\(t["evidence_none"])</p>\n"
        } else {
            m += "  <ul class=\"evidence\">\n"
            for e in evidence { m += evidenceItem(e) }
            m += "  </ul>\n"
        }
        if canAnswer { m += addEvidence() }
        m += "</section>\n"
        return m
    }

    private func evidenceItem(_ e: EvidenceRow) -> Markup {
        var m: Markup = e.isFile
            ? "    <li>\n      <a href=\"\(e.href)\">\(e.title)</a>\n"
            : "    <li>\n      <a href=\"\(e.href)\" rel=\"noopener noreferrer nofollow\">\(e.title)</a>\n"
        m += "      <span class=\"small muted\">\(e.detail)"
        if let version = e.version { m += " · \(t["evidence_version"]) \(version)" }
        m += "</span>\n"
        if let supports = e.supports { m += "      <span class=\"tag tag-self\">\(t["evidence_supports_short"]) \(supports)</span>\n" }
        m += "      <div class=\"small\">\n        "
        if let date = e.documentDate { m += "\(t["evidence_document_date"]): \(date) · " }
        if let expires = e.expires {
            m += "<span\(if: e.expiresBeforeEvaluation || e.expired, " class=\"expired\"")>\(t["evidence_expires"]): \(expires)"
            if e.expiresBeforeEvaluation { m += " — \(t["evidence_expires_before_evaluation"])" }
            if e.expired { m += " — \(t["evidence_expired"])" }
            m += "</span> · "
        }
        m += "\(t["evidence_added"]) \(e.added)\n      </div>\n"
        if let note = e.note { m += "      <div class=\"small muted\">\(note)</div>\n" }
        if !e.earlier.isEmpty {
            m += """
                      <details class="small versions"><summary>\(t["evidence_earlier_versions"]) (\(e.earlier.count))</summary>
                        <ul>\(Markup.each(e.earlier) { v in
                            "<li><a href=\"\(v.href)\">\(t["evidence_version"]) \(v.number)</a> · \(v.name) · \(v.size) · \(v.uploaded)</li>"
                        })</ul>
                      </details>

                """
        }
        if e.canChange {
            m += "      <div class=\"evidence-actions\">\n"
            if let versionAction = e.versionAction {
                m += """
                            <details class="small"><summary>\(t["evidence_new_version"])</summary>
                              <form method="post" action="\(versionAction)?_csrf=\(page.csrf)" enctype="multipart/form-data" class="form">
                                <label for="nv-file-\(e.id)">\(t["evidence_file"])</label>
                                <input id="nv-file-\(e.id)" name="file" type="file" required>
                                <label for="nv-date-\(e.id)">\(t["evidence_document_date"]) <span class="muted">\(t["evidence_keep_if_empty"])</span></label>
                                <input id="nv-date-\(e.id)" name="document_date" type="date">
                                <label for="nv-exp-\(e.id)">\(t["evidence_expires"]) <span class="muted">\(t["evidence_keep_if_empty"])</span></label>
                                <input id="nv-exp-\(e.id)" name="expires_on" type="date">
                                <button type="submit" class="secondary">\(t["evidence_upload_version"])</button>
                              </form>
                            </details>

                    """
            }
            if let note = e.versionNote { m += "        <p class=\"small muted\">\(note)</p>\n" }
            m += """
                        <form method="post" action="\(detachAction)" class="inline">
                          <input type="hidden" name="_csrf" value="\(page.csrf)">
                          <input type="hidden" name="evidence_id" value="\(e.id)">
                          <button type="submit" class="linkish small">\(t["evidence_detach"])</button>
                        </form>
                      </div>

                """
        }
        m += "    </li>\n"
        return m
    }

    private func addEvidence() -> Markup {
        let upload = evidenceForm.upload, link = evidenceForm.link
        var m: Markup = """
              <details class="add-evidence"\(if: evidenceOpen, " open")>
              <summary>\(t["evidence_add"])</summary>
              <div class="grid2 evidence-forms">
                <form method="post" action="\(uploadAction)" enctype="multipart/form-data" class="form">
                  <h3>\(t["evidence_upload"])</h3>
                  \(fieldError(evidenceErrors, "file"))<label for="ev-title">\(t["evidence_field_title"])</label>
                  <input id="ev-title" name="title" value="\(upload["title"])">
                  \(fieldError(evidenceErrors, "title"))<label for="ev-date">\(t["evidence_document_date"])</label>
                  <input id="ev-date" name="document_date" type="date" value="\(upload["document_date"])">
                  \(fieldError(evidenceErrors, "document_date"))<label for="ev-exp">\(t["evidence_expires"])</label>
                  <input id="ev-exp" name="expires_on" type="date" value="\(upload["expires_on"])">
                  \(fieldError(evidenceErrors, "expires_on"))<label for="ev-supports">\(t["evidence_supports"])</label>
                  <select id="ev-supports" name="supports_level">\(Self.options(uploadSupports))</select>
                  \(fieldError(evidenceErrors, "supports_level"))<label for="ev-note">\(t["evidence_note"])</label>
                  <input id="ev-note" name="note" value="\(upload["note"])">
                  <label for="ev-file">\(t["evidence_file"]) <span class="small muted">(\(uploadTypes); maks. \(maxUploadMB) MB)</span></label>
                  <input id="ev-file" name="file" type="file" required>
                  <button type="submit" class="primary">\(t["evidence_upload_button"])</button>
                </form>
                <div>
                <form method="post" action="\(linkAction)" class="form">
                  <h3>\(t["evidence_add_link"])</h3>
                  <input type="hidden" name="_csrf" value="\(page.csrf)">
                  <label for="ln-url">URL</label>
                  <input id="ln-url" name="url" type="url" placeholder="https://" value="\(link["url"])">
                  \(fieldError(evidenceErrors, "url"))<label for="ln-title">\(t["evidence_field_title"])</label>
                  <input id="ln-title" name="title" value="\(link["title"])">
                  <label for="ln-date">\(t["evidence_document_date"])</label>
                  <input id="ln-date" name="document_date" type="date" value="\(link["document_date"])">
                  <label for="ln-exp">\(t["evidence_expires"])</label>
                  <input id="ln-exp" name="expires_on" type="date" value="\(link["expires_on"])">
                  <label for="ln-supports">\(t["evidence_supports"])</label>
                  <select id="ln-supports" name="supports_level">\(Self.options(linkSupports))</select>
                  <button type="submit" class="secondary">\(t["evidence_add_link_button"])</button>
                </form>

            """
        if !attachable.isEmpty || !attachSearch.isEmpty {
            m += """
                    <div class="form" id="attach">
                      <h3>\(t["evidence_attach"])</h3>
                      <form method="get" action="\(action)#attach" class="inline-form" role="search">
                        <label for="at-q">\(t["evidence_attach_search"])</label>
                        <input id="at-q" name="attach_q" type="search" value="\(attachSearch)">
                        <button type="submit" class="secondary">\(t["evidence_attach_search_button"])</button>
                      </form>

                """
            if attachable.isEmpty {
                m += "      <p class=\"muted\">\(t["evidence_attach_none"])</p>\n"
            } else {
                m += """
                        <form method="post" action="\(attachAction)">
                          <input type="hidden" name="_csrf" value="\(page.csrf)">
                          <label for="at-ev">\(t["evidence_attach_choose"])</label>
                          <select id="at-ev" name="evidence_id">\(Markup.each(attachable) { "<option value=\"\($0.value)\">\($0.label)</option>" })</select>
                          <label for="at-supports">\(t["evidence_supports"])</label>
                          <select id="at-supports" name="supports_level">\(Self.options(attachSupports))</select>
                          <button type="submit" class="secondary">\(t["evidence_attach_button"])</button>
                        </form>

                    """
                if attachMore { m += "    <p class=\"muted small\">\(attachMoreText)</p>\n" }
            }
            m += "    </div>\n"
        }
        m += "    </div>\n  </div>\n  </details>\n"
        return m
    }

    private func rubricSection() -> Markup {
        var m: Markup = """
            <section class="card">
              <h2>\(t["indicator_rubric"])</h2>
              <div class="table-wrap" tabindex="0" role="region" aria-label="\(t["table_region"])">
              <table class="rubric">
                <thead><tr><th>\(t["indicator_level"])</th><th>\(t["indicator_criteria"])</th><th>\(t["indicator_evidence_expected"])</th></tr></thead>
                <tbody>

            """
        for r in rubric {
            let rowClass: Markup = r.isVerified ? " class=\"is-verified\"" : (r.isSelf ? " class=\"is-self\"" : "")
            m += "      <tr\(rowClass)>\n        <td><strong>\(r.level)</strong> \(r.name)"
            if r.isTarget { m += "<span class=\"tag tag-target\">\(t["layer_target"])</span>" }
            if r.isSelf { m += "<span class=\"tag tag-self\">\(t["layer_self"])</span>" }
            if r.isVerified { m += "<span class=\"tag tag-verified\">\(t["layer_verified"])</span>" }
            m += "</td>\n        <td>\(r.criteria)</td><td>\(r.evidence)</td>\n      </tr>\n"
        }
        m += "    </tbody>\n  </table>\n  </div>\n</section>\n"
        return m
    }

    private func historySection() -> Markup {
        var m: Markup = "<section class=\"card\">\n  <h2>\(t["indicator_history"])</h2>\n"
        if history.isEmpty {
            m += "  <p class=\"muted\">\(t["indicator_no_history"])</p>\n"
        } else {
            m += """
                  <div class="table-wrap" tabindex="0" role="region" aria-label="\(t["table_region"])">
                  <table class="history">
                    <thead><tr><th>\(t["history_when"])</th><th>\(t["history_who"])</th><th>\(t["history_what"])</th><th>\(t["history_before"])</th><th>\(t["history_after"])</th></tr></thead>
                    <tbody>\(Markup.each(history) { h in
                        "<tr><td class=\"nowrap\">\(h.at)</td><td>\(h.who)</td><td>\(h.action): \(h.field)</td><td class=\"prewrap\">\(h.before)</td><td class=\"prewrap\">\(h.after)</td></tr>"
                    })</tbody>
                  </table>
                  </div>

                """
        }
        m += "</section>\n"
        return m
    }
}

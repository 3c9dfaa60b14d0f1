import Foundation
import Testing

@Suite("The parent's page over HTTP")
struct PageTests {
    @Test("the page has a camera file input, gives a verifier cookie, and a form upload leads to the verdict page")
    func uploadThroughTheForm() async throws {
        let fixture = try ServerFixture()
        let photo = try ServerFixture.codePhoto(fixture.codes.recalled)
        try await fixture.serve { client in
            let home = try await client.request("GET", "/")
            #expect(home.status == 200)
            #expect(home.text.contains("<input id=\"photo\" name=\"photo\" type=\"file\" accept=\"image/*\" capture=\"environment\""))
            #expect(home.text.contains("name=\"viewport\""))
            let cookie = try #require(home.header("set-cookie")?.split(separator: ";").first.map(String.init))
            #expect(cookie.hasPrefix("genuine_verifier="))

            let form = MultipartBody.photo(photo)
            let posted = try await client.request("POST", "/check", headers: [("Content-Type", form.contentType), ("Cookie", cookie)],
                                            body: form.finished())
            #expect(posted.status == 303)
            let location = try #require(posted.header("location"))
            #expect(location.hasPrefix("/scans/"))
            let page = try await client.request("GET", location, headers: [("Cookie", cookie)])
            #expect(page.status == 200)
            #expect(page.text.contains("data-verdict=\"RECALLED\""))
            #expect(page.text.contains("Recalled — stop using this tin"))
            #expect(page.text.contains("possible Cronobacter contamination"))
            #expect(page.text.contains("id=\"timeline\""))
        }
    }

    @Test("an unread photo shows why, a retake tip and a request-examination button that leads to the case")
    func unreadPhotoAndExamination() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let form = MultipartBody.photo(try ServerFixture.blankPhoto(), filename: "x.jpg", contentType: "image/jpeg")
            let posted = try await client.request("POST", "/check", headers: [("Content-Type", form.contentType)], body: form.finished())
            let location = try #require(posted.header("location"))
            let page = try await client.request("GET", location).text
            #expect(page.contains("data-verdict=\"INCONCLUSIVE\""))
            #expect(page.contains("id=\"reason\""))
            #expect(page.contains("id=\"tip\""))
            #expect(page.contains("id=\"request-examination\""))
            let scanID = String(location.dropFirst("/scans/".count))
            let requested = try await client.request("POST", "/scans/\(scanID)/examination")
            #expect(requested.status == 303)
            let casePage = try await client.request("GET", requested.header("location") ?? "").text
            #expect(casePage.contains("Examination requested: case"))
        }
    }

    @Test("a refused upload from the form shows the problem on the page with its status")
    func refusedUploadOnThePage() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let form = MultipartBody.photo(Array("GIF89a not really".utf8), filename: "a.gif", contentType: "image/gif")
            let answer = try await client.request("POST", "/check", headers: [("Content-Type", form.contentType)], body: form.finished())
            #expect(answer.status == 415)
            #expect(answer.header("content-type")?.hasPrefix("text/html") == true)
            #expect(answer.text.contains("GIF"))
            #expect(answer.text.contains("id=\"photo\""), "the form is offered again")
        }
    }
}

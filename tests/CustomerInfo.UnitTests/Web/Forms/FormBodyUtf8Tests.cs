using System.Buffers;
using System.Text;
using CustomerInfo.Web.Forms;
using Microsoft.AspNetCore.WebUtilities;

namespace CustomerInfo.UnitTests.Web.Forms;

public class FormBodyUtf8Tests
{
    [Theory]
    [InlineData("")]
    [InlineData("a=1&b=2")]
    [InlineData("name=Ren%C3%A9e&city=K%C3%B8benhavn")]
    [InlineData("x=%E2%82%AC+%F0%9F%91%A9%E2%80%8D%F0%9F%91%A9")]
    [InlineData("x=100%25&y=%26%3D")]
    [InlineData("x=%zz&y=%&z=%4")]
    [InlineData("x=%c3%a9")]
    [InlineData("x=\u00e9 raw")]
    public void A_body_whose_escapes_are_utf8_is_valid_and_left_alone(string body)
    {
        FormBodyUtf8.IsValid(Sequence(body)).ShouldBeTrue();
        FormBodyUtf8.Repair(Sequence(body)).ShouldBe(Encoding.UTF8.GetBytes(body));
    }

    [Theory]
    [InlineData("x=%FF", "x=%EF%BF%BD")]
    [InlineData("x=%C3%28", "x=%EF%BF%BD%28")]
    [InlineData("x=%C3", "x=%EF%BF%BD")]
    [InlineData("x=%C3&y=1", "x=%EF%BF%BD&y=1")]
    [InlineData("x=%C3a", "x=%EF%BF%BDa")]
    [InlineData("x=%C0%AF", "x=%EF%BF%BD%EF%BF%BD")]
    [InlineData("x=%ED%A0%80", "x=%EF%BF%BD%EF%BF%BD%EF%BF%BD")]
    [InlineData("x=%F4%90%80%80", "x=%EF%BF%BD%EF%BF%BD%EF%BF%BD%EF%BF%BD")]
    [InlineData("x=%E2%82", "x=%EF%BF%BD")]
    [InlineData("x=%C3%A9%FF%26b", "x=%C3%A9%EF%BF%BD%26b")]
    [InlineData("a=ok&x=%FF&b=%C3%A9", "a=ok&x=%EF%BF%BD&b=%C3%A9")]
    public void A_run_of_escapes_that_is_not_utf8_becomes_the_escapes_of_its_decoding_with_replacement_characters(string body, string repaired)
    {
        FormBodyUtf8.IsValid(Sequence(body)).ShouldBeFalse();

        var result = FormBodyUtf8.Repair(Sequence(body));

        Encoding.ASCII.GetString(result).ShouldBe(repaired);
        FormBodyUtf8.IsValid(Sequence(repaired)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("Command.FirstName=%FF", "\uFFFD")]
    [InlineData("Command.FirstName=Ann%C3%28", "Ann\uFFFD(")]
    [InlineData("Command.FirstName=%C3%A9%FF%26b", "é\uFFFD&b")]
    public async Task The_framework_reads_a_repaired_body_as_a_browser_would(string body, string value)
    {
        var repaired = FormBodyUtf8.Repair(Sequence(body));

        var form = await new FormPipeReader(System.IO.Pipelines.PipeReader.Create(new ReadOnlySequence<byte>(repaired))).ReadFormAsync();

        form["Command.FirstName"].ToString().ShouldBe(value);
    }

    [Fact]
    public void Validity_does_not_depend_on_where_the_server_split_the_body()
    {
        const string valid = "a=%C3%A9%E2%82%AC%F0%9F%91%A9&b=x%25y";
        const string invalid = "a=%C3%A9%E2%82%FF&b=%F0%9F%91";
        for (var split = 0; split <= invalid.Length; split++)
        {
            FormBodyUtf8.IsValid(Sequence(valid, split)).ShouldBeTrue($"split at {split}");
            FormBodyUtf8.IsValid(Sequence(invalid, split)).ShouldBeFalse($"split at {split}");
            FormBodyUtf8.Repair(Sequence(invalid, split)).ShouldBe(FormBodyUtf8.Repair(Sequence(invalid)));
        }
    }

    /// <summary>The body as the server may hold it: one segment, or two split at <paramref name="split"/>.</summary>
    private static ReadOnlySequence<byte> Sequence(string body, int? split = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (split is not { } at || at >= bytes.Length)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes.AsMemory(0, at));
        var second = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}

namespace NasSharp.Core.Tests;

public class ErrorTextTests
{
    [Fact]
    public void Megabyte_input_in_an_error_line_is_shortened_with_its_length()
    {
        var line = ErrorText.Line($"Not an NB201 architecture: '{new string('x', 1_000_000)}'.");
        Assert.True(line.Length < 400, $"{line.Length} chars");
        Assert.Matches(@"… \(1,000,00\d chars\)", line);
    }
}

namespace Mesa.PowerShell.Tests;

/// <summary>ViewText.Fold, which the views use so that free text wraps between words instead of mid-word.</summary>
public sealed class ViewTextTests
{
    [Theory]
    [InlineData("offer, counter, license_terms", 16, "offer, counter,\nlicense_terms")]
    [InlineData("short", 20, "short")]
    [InlineData("a  b", 1, "a\nb")]
    [InlineData("first line\nsecond line", 11, "first line\nsecond line")]
    [InlineData("first line\r\nsecond line is longer", 11, "first line\nsecond line\nis longer")]
    [InlineData("http://127.0.0.1:5000/health: refused", 25, "http://127.0.0.1:5000/\nhealth: refused")]
    [InlineData("abcdefghij", 4, "abcd\nefgh\nij")]
    [InlineData("trailing   ", 20, "trailing")]
    public void Folds_between_words_else_after_punctuation_else_at_the_width(string text, int width, string expected)
    {
        Assert.Equal(expected, ViewText.Fold(text, width));
    }

    [Fact]
    public void No_line_is_wider_than_the_width_and_no_character_is_lost()
    {
        var text = "Licence for the 1990 to 2025 news archive, photographs and captions, with a_very_long_identifier_without_spaces inside.";
        for (var width = 1; width <= 40; width++)
        {
            var folded = ViewText.Fold(text, width);
            Assert.All(folded.Split('\n'), line => Assert.True(line.Length <= width, $"'{line}' at {width}"));
            Assert.Equal(text.Replace(" ", ""), folded.Replace("\n", "").Replace(" ", ""));
        }
    }

    [Fact]
    public void Null_and_empty_give_empty()
    {
        Assert.Equal("", ViewText.Fold(null, 10));
        Assert.Equal("", ViewText.Fold("", 10));
    }
}

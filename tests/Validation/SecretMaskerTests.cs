using Build.Secrets;

namespace Build.Tests.Validation;

/// <summary>The masker's own rules: which values it takes, what it announces (GitHub's add-mask), and the shapes of a
/// value it recognises.</summary>
public class SecretMaskerTests
{
    [Test]
    public void A_value_of_the_minimum_length_is_masked_and_a_shorter_one_is_not()
    {
        var masker = new SecretMasker();
        masker.Add("abc");
        masker.Add(null);
        masker.Add("");
        masker.Add("wxyz");

        masker.Values.Should().Equal("wxyz");
        masker.Apply("abc wxyz").Should().Be("abc ***");

        // The same limit holds for the forms taken out of a value: a URL's password.
        masker.Add("postgresql://u:ab@h.example/db");
        masker.Add("postgresql://u:abcd@h.example/db");
        masker.Values.Should().Contain("abcd").And.NotContain("ab");
        masker.Apply("pw ab, pw abcd").Should().Be("pw ab, pw ***");
    }

    [Test]
    public void Each_new_form_of_a_value_is_announced_once_and_values_are_kept_longest_first()
    {
        var masker = new SecretMasker();
        var announced = new List<string>();
        masker.ValueAdded += announced.Add;

        masker.Add("  padded-secret  ");
        masker.Add("padded-secret");
        masker.Add("zz-other");
        masker.Add("aa-other");

        announced.Should().Equal("  padded-secret  ", "padded-secret", "zz-other", "aa-other");
        masker.Values.Should().Equal("  padded-secret  ", "padded-secret", "aa-other", "zz-other");
        masker.Apply("[padded-secret]").Should().Be("[***]", "the value is masked without the spaces it was set with");
    }

    [Test]
    public void Nothing_is_announced_when_a_value_brings_no_new_form()
    {
        var masker = new SecretMasker();
        masker.Add("same-value");
        var announced = new List<string>();
        masker.ValueAdded += announced.Add;
        masker.Add("same-value");
        masker.Add("sv");

        announced.Should().BeEmpty();
        masker.Values.Should().Equal("same-value");
    }

    [Test]
    public void Empty_text_comes_back_empty_and_text_without_a_secret_unchanged()
    {
        var masker = new SecretMasker();
        masker.Add("some-secret");
        masker.Apply(null).Should().Be("");
        masker.Apply("").Should().Be("");
        masker.Apply("plain text, no url").Should().Be("plain text, no url");
    }

    [Test]
    public void A_disabled_masker_still_registers_values_but_changes_no_text()
    {
        var masker = new SecretMasker(enabled: false);
        masker.Add("some-secret");

        masker.Values.Should().Contain("some-secret");
        masker.Apply("some-secret at http://u:pw-1234@host/").Should().Be("some-secret at http://u:pw-1234@host/");
    }

    [Test]
    public void A_registered_url_password_already_masked_is_not_masked_twice()
    {
        var masker = new SecretMasker();
        masker.Add("postgresql://postgres:Db-Passw0rd-123@db.example.com:5432/postgres");

        masker.Apply("postgresql://postgres:Db-Passw0rd-123@db.example.com:5432/postgres").Should().Be("***");
        masker.Apply("psql postgresql://other:Db-Passw0rd-123@db2.example.com/x").Should().Be("psql postgresql://other:***@db2.example.com/x");
    }

    [TestCase("not a url: user:long-password@host", "long-password")]
    [TestCase("://user:long-password@host", "long-password")]
    [TestCase("we!rd://user:long-password@host", "long-password")]
    [TestCase("https://host.example/path:long-password", "long-password")]
    [TestCase("https://user@host.example:8443/x", "host.example")]
    public void Only_the_password_of_a_real_scheme_user_password_url_is_taken_as_a_separate_secret(string value, string notSecret)
    {
        var masker = new SecretMasker();
        masker.Add(value);

        masker.Values.Should().NotContain(notSecret);
        masker.Apply("said " + notSecret).Should().Be("said " + notSecret);
    }

    [Test]
    public void A_password_given_percent_encoded_is_masked_decoded_and_in_either_hex_case()
    {
        var masker = new SecretMasker();
        masker.Add("postgresql://postgres:p%2Fss%3Aword@db.example.com/postgres");

        masker.Apply("p/ss:word").Should().Be("***");
        masker.Apply("p%2Fss%3Aword p%2fss%3aword").Should().Be("*** ***");
    }

    [Test]
    public void A_password_with_a_broken_escape_is_masked_as_written()
    {
        var masker = new SecretMasker();
        masker.Add("postgresql://postgres:pass%zzword@db.example.com/postgres");

        masker.Apply("password pass%zzword").Should().Be("password ***");
    }

    [Test]
    public void A_value_set_with_spaces_or_a_newline_around_it_is_masked_without_them_even_with_characters_urls_encode()
    {
        var masker = new SecretMasker();
        masker.Add("  s3cr3t/value:with reserved?chars \n");

        masker.Apply("x s3cr3t/value:with reserved?chars y").Should().Be("x *** y");
    }

    [TestCase("git+ssh://deploy:S3cr%2Fet%40x@vps.example.org/repo", TestName = "{m}_scheme_with_plus")]
    [TestCase("vnd.example-db://deploy:S3cr%2Fet%40x@vps.example.org/repo", TestName = "{m}_scheme_with_dot_and_dash")]
    [TestCase("redis://:S3cr%2Fet%40x@cache.example.org:6379", TestName = "{m}_empty_user_name")]
    public void The_decoded_password_of_a_url_is_a_secret_for_any_valid_scheme_and_user(string url)
    {
        var masker = new SecretMasker();
        masker.Add(url);

        masker.Apply("password S3cr/et@x").Should().Be("password ***");
    }
}

namespace Build.Tests; public class SmokeTests { [Test] public void Builds() => true.Should().BeTrue(); }

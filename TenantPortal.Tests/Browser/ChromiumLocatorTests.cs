namespace TenantPortal.Tests.Browser;

public class ChromiumLocatorTests
{
    [Fact]
    public void Find_FailsWithTheInstallCommand_WhenNoChromiumExists()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChromiumLocator.Find(null, ["/nonexistent/chromium"]));

        Assert.Contains("apt-get install -y chromium", error.Message);
        Assert.Contains("CHROMIUM_PATH", error.Message);
    }

    [Fact]
    public void Find_FailsClearly_WhenChromiumPathPointsNowhere()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChromiumLocator.Find("/nonexistent/chrome", []));

        Assert.Contains("/nonexistent/chrome", error.Message);
    }

    [Fact]
    public void Find_ReturnsTheFirstCandidateThatExists()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Equal(file, ChromiumLocator.Find(null, ["/nonexistent/chromium", file]));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

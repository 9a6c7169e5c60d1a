// Draws every trend chart from the models serialized by the report, one ECharts line chart each.
// After drawing, each chart element gets data-rendered and data-series, so that a headless browser
// can prove the charts were drawn.
(function () {
  'use strict';
  var charts = JSON.parse(document.getElementById('chart-models').textContent);
  var drawn = [];
  charts.forEach(function (chart) {
    var element = document.getElementById(chart.id);
    var model = chart.model;
    var runs = model.domainAxisLabels.length;
    var echart = echarts.init(element, null, { renderer: 'canvas' });
    echart.setOption({
      animation: false,
      title: { text: chart.title, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 26 },
      grid: { top: 70, left: 70, right: 30, bottom: runs > 30 ? 80 : 50 },
      xAxis: { type: 'category', name: model.domainAxisItemName, nameLocation: 'middle', nameGap: 28,
        data: model.domainAxisLabels, axisLabel: { hideOverlap: true } },
      // from zero: a 0.1% wobble must not look like a cliff; the tables give the exact figures
      yAxis: { type: 'value', name: chart.unit, scale: false },
      // with many runs, show the latest 30 and let the reader scroll back
      dataZoom: runs > 30 ? [{ type: 'slider', startValue: runs - 30, endValue: runs - 1 }, { type: 'inside' }] : [],
      series: model.series.map(function (line) {
        return { name: line.name, type: 'line', symbol: line.symbol, data: line.data,
          itemStyle: line.itemStyle, connectNulls: true };
      })
    });
    element.setAttribute('data-series', String(echart.getOption().series.length));
    element.setAttribute('data-rendered', 'true');
    drawn.push(echart);
  });
  window.addEventListener('resize', function () {
    drawn.forEach(function (echart) { echart.resize(); });
  });
})();

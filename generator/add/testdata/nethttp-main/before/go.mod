module example.com/clinic/agenda

go 1.26.0
